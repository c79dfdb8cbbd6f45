import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import type { LogRecord } from '../src/schedule-dashboard.js';
import { Backend, badgeText, closeBackends, dashboardFor, isLive, patients, rows, todayAt, until } from './helpers.js';

// Names no log line could contain by chance.
const SECRET_NAMES = ['Zebulon Quixotique', 'Philomena Vantablack', 'Ottoline Brackenbury'];
const SECRET_REASON = 'Consult about Quixotique-syndrome';

const containsSecret = (text: string) =>
  SECRET_NAMES.some((name) => text.includes(name) || name.split(' ').some((part) => text.includes(part))) ||
  text.includes('Quixotique-syndrome');

describe('structured logging', () => {
  afterEach(async () => {
    sinon.restore();
    await closeBackends();
  });

  it('should write records with the contract header, filtered by log-level, to the logger property', async () => {
    const backend = await Backend.start({ appointments: [{ id: 1, start: todayAt(9) }] });
    const records: LogRecord[] = [];
    const el = await dashboardFor(backend, { pollInterval: 300, extra: { logger: (r: LogRecord) => records.push(r), logLevel: 'debug' } });
    await until(isLive(el), 'live');
    await backend.stopSockets();
    await until(() => records.some((r) => r.event === 'fallback.poll'), 'a poll record');
    // The drop is rendered before "live again" can mean anything.
    await until(() => badgeText(el).startsWith('Reconnecting'), 'the badge says reconnecting');
    await backend.startSockets();
    await until(isLive(el), 'live again');

    const events = records.map((r) => r.event);
    for (const event of ['socket.connected', 'socket.disconnected', 'state.changed', 'fallback.started', 'fallback.poll', 'reconnect.attempt', 'reconnect.succeeded', 'fallback.stopped']) {
      expect(events, event + ' in ' + events.join()).to.include(event);
    }
    for (const record of records) {
      expect(record.component).to.equal('schedule-dashboard');
      expect(record.instance).to.match(/^schedule-dashboard-\d+$/);
      expect(Number.isFinite(Date.parse(record.time))).to.equal(true);
      for (const value of Object.values(record)) expect(['string', 'number', 'boolean', 'undefined']).to.include(typeof value);
    }
    const disconnected = records.find((r) => r.event === 'socket.disconnected')!;
    expect(disconnected).to.deep.include({ level: 'warn', reason: 'transport close' });
    const change = records.find((r) => r.event === 'state.changed' && r.state === 'reconnecting')!;
    expect(change).to.deep.include({ previous: 'live', level: 'info' });

    // Filtering: at `warn`, no info or debug record is written.
    records.length = 0;
    el.logLevel = 'warn';
    await backend.stopSockets();
    await until(() => records.some((r) => r.event === 'socket.disconnected'), 'warn record');
    expect(records.every((r) => r.level === 'warn' || r.level === 'error')).to.equal(true);
  });

  it('should log to the console by default, and not at all when silent', async () => {
    const backend = await Backend.start({ appointments: [] });
    const warn = sinon.stub(console, 'warn');
    const el = await dashboardFor(backend, { extra: { logLevel: 'warn' } });
    await until(isLive(el), 'live');
    await backend.emit('not a payload');
    await until(() => warn.called, 'console.warn called');
    const [prefix, record] = warn.firstCall.args as [string, LogRecord];
    expect(prefix).to.equal('[schedule-dashboard] payload.rejected');
    expect(record).to.deep.include({ event: 'payload.rejected', reason: 'not-an-object', source: 'socket' });

    warn.resetHistory();
    el.logLevel = 'silent';
    await backend.emit('still not a payload');
    await until(() => el.metrics.events.invalid === 2, 'second rejection counted');
    expect(warn.called).to.equal(false);
  });

  it('should never put a patient name or appointment content in a log, console line, error or event detail', async () => {
    const appointment = (id: number, name: string, h: number) => ({
      id,
      start: todayAt(h),
      patientName: name,
      type: SECRET_REASON,
      provider: 'Dr. Chen',
      status: 'confirmed',
    });
    const backend = await Backend.start({
      appointments: [appointment(1, SECRET_NAMES[0], 9), appointment(2, SECRET_NAMES[1], 10)],
    });
    const seen: string[] = [];
    const consoleMethods = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => sinon.stub(console, method));
    const records: LogRecord[] = [];
    const el = await dashboardFor(backend, { pollInterval: 300, extra: { logger: (r: LogRecord) => records.push(r), logLevel: 'debug' } });
    el.addEventListener('schedule-error', (e) => seen.push(JSON.stringify(e.detail), e.detail.message));
    el.addEventListener('schedule-connection-change', (e) => seen.push(JSON.stringify(e.detail)));
    await until(isLive(el), 'live');
    await until(() => rows(el).length === 2, 'rows');

    // Events of every form, including bad ones that carry names.
    await backend.upsert(appointment(3, SECRET_NAMES[2], 11));
    await backend.emit({ action: 'updated', appointment: { id: 1, start: todayAt(9), patientName: SECRET_NAMES[0], status: 'in-room' } });
    await backend.emit({ appointments: [appointment(1, SECRET_NAMES[0], 9), { patientName: SECRET_NAMES[1] }] });
    await backend.emit({ action: 'updated', appointment: { patientName: SECRET_NAMES[2] } });
    await backend.emit({ action: 'deleted', appointment: { id: 99 } });
    await backend.emit({ date: 'tomorrow', appointments: [appointment(4, SECRET_NAMES[1], 12)] });
    await backend.emit({});
    // A drop, polls, REST errors carrying names in their bodies, garbage, then recovery.
    await backend.stopSockets();
    await until(() => el.metrics.fallback.polls >= 2, 'polls');
    await backend.setRestFault({ status: 500, body: JSON.stringify({ error: `cannot load ${SECRET_NAMES[0]}` }) });
    await until(() => el.metrics.fallback.pollErrors >= 1, 'failed poll');
    await backend.setRestFault({ body: `{"appointments": [{"patientName": "${SECRET_NAMES[1]}"` });
    await until(() => el.metrics.fallback.pollErrors >= 2, 'truncated body refused');
    await backend.setRestFault({ body: JSON.stringify({ appointments: `${SECRET_NAMES[2]}` }) });
    await until(() => el.metrics.fallback.pollErrors >= 3, 'wrong shape refused');
    await backend.setRestFault({ status: 401, body: SECRET_NAMES[0] });
    await until(() => el.connectionState === 'unauthorized', 'unauthorized');
    await backend.setRestFault(null);
    await backend.startSockets();
    el.reconnect();
    await until(isLive(el), 'live again');
    await until(() => el.metrics.consistency.checks >= 1 || el.metrics.fetch.requests > 6, 'caught up');
    expect(patients(el)).to.include(SECRET_NAMES[0]);

    for (const stub of consoleMethods) {
      for (const call of stub.getCalls()) seen.push(JSON.stringify(call.args));
    }
    seen.push(...records.map((r) => JSON.stringify(r)));
    expect(records.length).to.be.greaterThan(20);
    const leaks = seen.filter(containsSecret);
    expect(leaks, leaks.join('\n')).to.deep.equal([]);
  });

  it('should keep patient names at the top level of a rejected payload out of logs, console lines, errors and event details', async () => {
    const backend = await Backend.start({ appointments: [{ id: 1, start: todayAt(9) }] });
    const [first, second, third] = SECRET_NAMES;
    // Each refused for its own reason, with names beside (or instead of) what is wrong.
    const payloads = [
      { patientName: first, action: 'exploded' },
      { patientName: first, appointments: 'nope' },
      { date: 'not-a-date', patient_name: first },
      { patientName: second, appointments: [], version: second },
      { patient_name: second, appointments: [{ patientName: second }] },
      { patientName: third, action: 'updated', appointment: third },
      { patientName: third, appointments: third, type: SECRET_REASON },
    ];
    const reasons = ['unknown-action', 'appointments-not-a-list', 'bad-date', 'bad-version', 'no-valid-appointments', 'invalid-appointment', 'appointments-not-a-list'];
    const consoleMethods = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => sinon.stub(console, method));
    const records: LogRecord[] = [];
    // One element writes to the logger property, one to the console; both at debug.
    const logged = await dashboardFor(backend, { extra: { logger: (r: LogRecord) => records.push(r), logLevel: 'debug' } });
    const consoled = await dashboardFor(backend, { extra: { logLevel: 'debug' } });
    const seen: string[] = [];
    let errors = 0;
    for (const el of [logged, consoled]) {
      el.addEventListener('schedule-error', (e) => {
        errors += 1;
        seen.push(JSON.stringify(e.detail), e.detail.message);
      });
      el.addEventListener('schedule-connection-change', (e) => seen.push(JSON.stringify(e.detail)));
    }
    await until(() => isLive(logged)() && isLive(consoled)(), 'both live');

    await backend.emitMany(payloads);
    await until(
      () => logged.metrics.events.invalid === payloads.length && consoled.metrics.events.invalid === payloads.length,
      'each payload counted as invalid, by both',
    );
    expect(logged.metrics.events.received).to.equal(payloads.length);
    // Each was reported everywhere (so what is searched below is not empty), by its reason alone.
    expect(records.filter((r) => r.event === 'payload.rejected').map((r) => r.reason)).to.deep.equal(reasons);
    const warned = consoleMethods[2].getCalls().filter((call) => call.args[0] === '[schedule-dashboard] payload.rejected');
    expect(warned.map((call) => (call.args[1] as LogRecord).reason)).to.deep.equal(reasons);
    expect(errors).to.equal(2 * payloads.length);

    for (const stub of consoleMethods) {
      for (const call of stub.getCalls()) seen.push(JSON.stringify(call.args));
    }
    seen.push(...records.map((r) => JSON.stringify(r)));
    const leaks = seen.filter(containsSecret);
    expect(leaks, leaks.join('\n')).to.deep.equal([]);
    // The console is the real one again once this test is over.
    consoled.logLevel = 'silent';
  });
});
