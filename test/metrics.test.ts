import { expect } from '@open-wc/testing';
import type { LogRecord } from '../src/schedule-dashboard.js';
import {
  Backend,
  closeBackends,
  dashboardFor,
  isLive,
  requests,
  rows,
  sampleDay,
  todayAt,
  until,
} from './helpers.js';

const tomorrow = () => {
  const at = new Date();
  at.setDate(at.getDate() + 1);
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
};

describe('metrics', () => {
  afterEach(closeBackends);

  it('should count connects, disconnects, attempts and reconnects from a real outage', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend);
    await until(isLive(el), 'live');
    expect(el.metrics.connection).to.deep.include({ connects: 1, disconnects: 0, successfulReconnects: 0, reconnectAttempts: 0 });

    await backend.stopSockets();
    await until(() => el.metrics.connection.reconnectAttempts >= 2, 'two attempts');
    expect(el.metrics.connection.currentAttempt).to.be.at.least(2);
    await backend.startSockets();
    await until(isLive(el), 'live again');
    const { connection } = el.metrics;
    expect(connection.connects).to.equal(2);
    expect(connection.disconnects).to.equal(1);
    expect(connection.lastDisconnectReason).to.equal('transport close');
    expect(connection.successfulReconnects).to.equal(1);
    expect(connection.currentAttempt).to.equal(0);
    expect(connection.reconnectFailures).to.equal(0);
    expect(Object.isFrozen(el.metrics.connection)).to.equal(true);
  });

  it('should count a give-up after reconnection-attempts', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend, { reconnectionAttempts: 3 });
    const errors: string[] = [];
    el.addEventListener('schedule-error', (e) => errors.push(e.detail.kind));
    await until(isLive(el), 'live');
    await backend.stopSockets();
    await until(() => el.connectionState === 'polling', 'gave up', 8000);
    expect(el.metrics.connection.reconnectAttempts).to.equal(3);
    expect(el.metrics.connection.reconnectFailures).to.equal(1);
    expect(errors).to.deep.equal(['socket']);
  });

  it('should time the fallback and count its polls and poll errors', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend, { pollInterval: 300 });
    await until(isLive(el), 'live');
    await until(async () => (await requests(backend)) === 1, 'initial fetch');

    await backend.stopSockets();
    await until(() => el.metrics.fallback.polls >= 3, 'three polls');
    expect(el.metrics.fallback.activations).to.equal(1);
    expect(el.metrics.fallback.activeSince).to.be.instanceOf(Date);
    expect(el.metrics.fallback.lastFirstFetchMs, 'the first fallback fetch starts at once').to.be.below(100);
    await backend.setRestFault({ status: 502 });
    const errorsBefore = el.metrics.fallback.pollErrors;
    await until(() => el.metrics.fallback.pollErrors >= errorsBefore + 2, 'two failed polls');
    await backend.setRestFault(null);

    await backend.startSockets();
    await until(isLive(el), 'live again');
    const { fallback, fetch } = el.metrics;
    expect(fallback.activeSince).to.equal(null);
    expect(fallback.totalMs).to.be.greaterThan(600);
    // Every REST request the server answered was counted: the initial one, the polls and the reconcile.
    await until(() => el.metrics.consistency.checks === 1, 'reconciled');
    expect(el.metrics.fetch.requests).to.equal(await requests(backend));
    expect(fetch.errors).to.equal(fallback.pollErrors);
    expect(el.metrics.fetch.lastDurationMs).to.be.a('number');
  });

  it('should count received, applied, ignored and invalid events, and rejected items', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend);
    await until(isLive(el), 'live');
    await until(() => rows(el).length === 3, 'rows');
    const at = (h: number) => todayAt(h);

    await backend.emit({ action: 'updated', appointment: { id: 1, start: at(9), status: 'in-room', updatedAt: new Date().toISOString() } });
    await backend.emit({ action: 'updated', appointment: { id: 1, start: at(9), status: 'confirmed', updatedAt: new Date(Date.now() - 60000).toISOString() } });
    await backend.emit({ appointments: [], date: tomorrow() });
    await backend.emit(null);
    await backend.emit(42);
    await backend.emit({ action: 'exploded', appointment: { id: 1 } });
    await backend.emit({ appointments: [{ id: 5, start: at(8) }, { id: 6 }, { start: at(9) }, 'nonsense'] });
    await until(() => el.metrics.events.received === 7, 'seven events');
    const { events } = el.metrics;
    expect(events.applied).to.equal(2);
    expect(events.ignored).to.equal(2);
    expect(events.invalid).to.equal(3);
    expect(events.rejectedItems).to.equal(3);
    expect(events.lastAt).to.be.instanceOf(Date);
    // The out-of-order change and tomorrow's snapshot left the screen as it was; the last snapshot kept its one good item.
    expect(el.appointments.map((a) => a.id)).to.deep.equal([5]);
  });

  it('should measure arrival → rendered and emittedAt → rendered latency', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend);
    await until(isLive(el), 'live');
    await backend.emit({ action: 'created', appointment: { id: 'l1', start: todayAt(12) } });
    await backend.emit({ action: 'created', appointment: { id: 'l2', start: todayAt(13) }, emittedAt: Date.now() - 40 });
    await until(() => el.metrics.latency.samples === 2, 'two samples');
    const { latency } = el.metrics;
    expect(latency.emitted.samples).to.equal(1);
    expect(latency.emitted.lastMs).to.be.at.least(40);
    expect(latency.lastMs).to.be.at.least(0);
    expect(latency.p95Ms).to.be.at.least(latency.p50Ms!);
  });

  it('should find the events a server dropped during an outage when it reconciles', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const records: LogRecord[] = [];
    const el = await dashboardFor(backend, { extra: { logger: (r: LogRecord) => records.push(r), logLevel: 'info' } });
    await until(isLive(el), 'live');
    await until(() => rows(el).length === 3, 'rows');
    await backend.stopSockets();
    await until(async () => (await requests(backend)) === 2, 'immediate fallback fetch');
    // Two changes the disconnected client never hears of (the default 30 s poll is far away).
    await backend.upsert({ id: 'new', start: todayAt(15), patientName: 'Late Booking' }, false);
    await backend.remove(2, false);
    await backend.startSockets();
    await until(() => el.metrics.consistency.checks === 1, 'reconciled');
    const { consistency } = el.metrics;
    expect(consistency.mismatches).to.equal(1);
    expect(consistency.lastMismatch).to.deep.include({ missing: 1, extra: 1, changed: 0 });
    const mismatch = records.find((r) => r.event === 'consistency.mismatch');
    expect(mismatch).to.deep.include({ missing: 1, extra: 1, changed: 0, level: 'warn', component: 'schedule-dashboard' });
    // And the reconciling fetch put the server's list on screen.
    expect(el.appointments.map((a) => a.id)).to.deep.equal([1, 'c3', 'new']);
  });

  it('should count 304 answers to polls that found nothing new', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend, { pollInterval: 250 });
    await until(isLive(el), 'live');
    await backend.stopSockets();
    await until(() => el.metrics.fetch.notModified >= 2, 'two 304s');
    await until(async () => (await backend.stats()).notModified === el.metrics.fetch.notModified, 'every 304 counted');
    expect(rows(el)).to.have.length(3);
  });
});
