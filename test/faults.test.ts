/**
 * The fault matrix: each fault against the real backend, asserting what the front desk
 * would notice: no uncaught error, the last good schedule still shown (or the right new
 * one), a truthful badge, the right metrics and log records, nothing left behind.
 */
import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import type { LogRecord } from '../src/schedule-dashboard.js';
import {
  Backend,
  badgeText,
  closeBackends,
  dashboardFor,
  errorText,
  isLive,
  patients,
  realDelay,
  requests,
  rows,
  sampleDay,
  todayAt,
  uncaughtErrors,
  until,
  type RawAppointment,
} from './helpers.js';

/** Every uncaught error and unhandled rejection while a test runs. */
const uncaught = uncaughtErrors();

/** A small seeded random source, so that a failing "random" run can be replayed. */
function seeded(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) % 4294967296;
    return seed / 4294967296;
  };
}

async function withRecords(backend: Backend, options: Parameters<typeof dashboardFor>[1] = {}) {
  const records: LogRecord[] = [];
  const el = await dashboardFor(backend, { ...options, extra: { logger: (r: LogRecord) => records.push(r), logLevel: 'debug', ...options.extra } });
  return { el, records };
}

/** Makes the page look hidden or visible, then tells it, as the browser does. */
function setVisibility(state: 'hidden' | 'visible') {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
}

/** Makes the browser look offline or online, then tells the page, as the browser does. */
function setOnline(online: boolean) {
  Object.defineProperty(navigator, 'onLine', { value: online, configurable: true });
  window.dispatchEvent(new Event(online ? 'online' : 'offline'));
}

let clock: sinon.SinonFakeTimers | undefined;

/**
 * The timers pending on the fake clock, other than the test runner's own: each
 * `executeServerCommand` arms a 20 s reply timeout that the runner never clears, and under a
 * fake clock those land here too. (`clock.countTimers()` also counts entries of the clock's
 * internal heap that were already cleared.)
 */
const pendingTimers = (fake: sinon.SinonFakeTimers) => {
  const timers = (fake as unknown as { timers?: Map<unknown, { func: unknown }> }).timers;
  const all: Array<{ func: unknown }> = timers instanceof Map ? [...timers.values()] : Object.values(timers ?? {});
  return all.filter((timer) => !String(timer.func).includes('Did not receive a server response')).length;
};

/** Each test: record uncaught errors, and afterwards undo every fake and fail on any error. */
function guardEachTest() {
  beforeEach(() => {
    uncaught.start();
  });

  afterEach(async () => {
    const errors = uncaught.stop();
    delete (document as { visibilityState?: unknown }).visibilityState;
    delete (navigator as { onLine?: unknown }).onLine;
    clock?.restore();
    clock = undefined;
    sinon.restore();
    await closeBackends();
    expect(errors, 'uncaught errors').to.deep.equal([]);
  });
}

describe('fault matrix', () => {
  guardEachTest();

  describe('socket server', () => {
    it('should survive 20 kills and restarts at random moments, then show the server’s list, live', async () => {
      const random = seeded(20261122);
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el } = await withRecords(backend, { pollInterval: 200 });
      await until(isLive(el), 'live');
      let id = 100;
      for (let round = 0; round < 20; round += 1) {
        // Half the time the whole server dies (connections refused, REST too), half the
        // time only its socket side (REST keeps answering the fallback).
        const whole = random() < 0.5;
        await (whole ? backend.kill() : backend.stopSockets());
        if (random() < 0.5) await backend.upsert({ id: id++, start: todayAt(12, round), patientName: `Patient ${round}` });
        await realDelay(Math.floor(random() * 250));
        await (whole ? backend.revive() : backend.startSockets());
        await realDelay(Math.floor(random() * 250));
        if (random() < 0.5) await backend.upsert({ id: id++, start: todayAt(13, round), patientName: `Patient ${round}b` });
      }
      await until(isLive(el), 'live at the end', 15000);
      const server = (await backend.stats()).version;
      expect(server).to.be.greaterThan(1);
      const expected = await fetch(backend.restUrl).then((r) => r.json());
      await until(() => el.appointments.length === expected.appointments.length, 'the server’s list is shown', 10000);
      expect(new Set(el.appointments.map((a) => String(a.id)))).to.deep.equal(new Set(expected.appointments.map((a: RawAppointment) => String(a.id))));
      const { connection, fallback } = el.metrics;
      expect(connection.connects, 'every connection the server accepted').to.equal((await backend.stats()).connections);
      expect(fallback.activeSince).to.equal(null);
      expect((await backend.stats()).clients).to.equal(1);

      el.remove();
      await until(async () => (await backend.stats()).clients === 0, 'socket closed after removal');
      const after = await requests(backend);
      await realDelay(600);
      expect(await requests(backend), 'no poll after removal').to.equal(after);
    });

    for (const [trigger, fire] of [
      ['the tab becoming visible', () => setVisibility('visible')],
      ['the browser coming back online', () => setOnline(true)],
    ] as const) {
      it(`should go live again after Socket.IO gave up, on ${trigger}`, async () => {
        const backend = await Backend.start({ appointments: sampleDay() });
        const { el, records } = await withRecords(backend, { reconnectionAttempts: 2, pollInterval: 1000 });
        await until(isLive(el), 'live');
        await backend.stopSockets();
        await until(() => el.connectionState === 'polling', 'gave up', 8000);
        await el.updateComplete;
        expect(badgeText(el)).to.match(/^Live updates unavailable · updating every 1 s/);
        await backend.startSockets();
        await realDelay(800);
        expect(el.connectionState, 'no retry of its own').to.equal('polling');
        if (trigger.includes('online')) setOnline(false);
        fire();
        await until(isLive(el), 'live after one trigger');
        expect(records.some((r) => r.event === 'reconnect.failed')).to.equal(true);
        expect(records.some((r) => r.event === 'socket.rearmed')).to.equal(true);
      });
    }

    it('should re-arm the socket every 5 minutes while polling (fake clock)', async () => {
      const backend = await Backend.start({ appointments: sampleDay(), pingInterval: 600000 });
      const el = await dashboardFor(backend, { reconnectionAttempts: 2 });
      await until(isLive(el), 'live');
      clock = sinon.useFakeTimers({
        now: Date.now(),
        toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
        shouldClearNativeTimers: true,
      });
      await backend.stopSockets();
      await until(() => el.connectionState === 'polling', 'gave up', 8000);
      await backend.startSockets();
      await clock!.tickAsync(4 * 60 * 1000);
      await realDelay(500);
      expect(el.connectionState).to.equal('polling');
      await clock!.tickAsync(60 * 1000);
      await until(isLive(el), 'live after the 5-minute re-arm');
    });
  });

  describe('REST', () => {
    const matrix: Array<{ name: string; fault: Parameters<Backend['setRestFault']>[0]; reason: string; shown: RegExp }> = [
      { name: '500', fault: { status: 500 }, reason: 'http', shown: /HTTP 500/ },
      { name: '503', fault: { status: 503, body: '{"error":"maintenance"}' }, reason: 'http', shown: /HTTP 503/ },
      { name: '404', fault: { status: 404 }, reason: 'http', shown: /HTTP 404/ },
      { name: 'an HTML error page', fault: { status: 502, body: '<html><body>Bad gateway</body></html>', contentType: 'text/html' }, reason: 'http', shown: /HTTP 502/ },
      { name: 'invalid JSON', fault: { body: '{appointments: [oops' }, reason: 'bad-json', shown: /not valid JSON/ },
      { name: 'a truncated body', fault: { body: '{"appointments":[{"id":1,"start":"2026-' }, reason: 'bad-json', shown: /not valid JSON/ },
      { name: 'an empty body', fault: { body: '' }, reason: 'bad-json', shown: /not valid JSON/ },
      { name: 'a body of the wrong shape', fault: { body: '{"appointments":"none"}' }, reason: 'not-a-list', shown: /not a list/ },
      { name: 'a request that never answers', fault: { hang: true }, reason: 'timeout', shown: /no answer in time/ },
    ];
    for (const { name, fault, reason, shown } of matrix) {
      it(`should keep the last good schedule on ${name}`, async () => {
        const backend = await Backend.start({ appointments: sampleDay() });
        const { el, records } = await withRecords(backend);
        el.requestTimeout = 400;
        await until(isLive(el), 'live');
        await until(() => rows(el).length === 3, 'rows');
        await backend.setRestFault(fault);
        await el.refresh();
        await el.updateComplete;
        expect(rows(el)).to.have.length(3);
        expect(errorText(el)).to.match(shown);
        // Socket changes keep applying under a Live badge: the message does not claim an old list.
        expect(errorText(el)).not.to.contain('Showing the last known schedule');
        expect(badgeText(el)).to.match(/^Live · Updated .* · catching up$/);
        expect(el.metrics.fetch.errors).to.be.at.least(1);
        const failures = records.filter((r) => r.event === 'fetch.failed');
        expect(failures.map((r) => r.reason)).to.deep.equal(failures.map(() => reason));
        if (fault?.hang) await until(async () => (await backend.stats()).hanging === 0, 'the request was aborted, not left open');
        await backend.setRestFault(null);
        // The failed load is owed: it is retried by itself (with backoff) until it succeeds.
        await until(() => errorText(el) === '' && !badgeText(el).includes('catching up'), 'caught up without being asked', 5000);
      });
    }

    it('should show Sign-in required on 401 and stop polling', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const el = await dashboardFor(backend, { pollInterval: 200 });
      await until(isLive(el), 'live');
      await until(() => rows(el).length === 3, 'rows');
      await backend.setRestFault({ status: 401 });
      await backend.stopSockets();
      await until(() => badgeText(el).startsWith('Sign-in required'), 'sign-in required');
      const after = await backend.stats();
      await realDelay(700);
      const quiet = await backend.stats();
      expect(quiet.restRequests, 'no polling').to.equal(after.restRequests);
      expect(quiet.refusedHandshakes + quiet.handshakes.length, 'no socket retries').to.equal(after.refusedHandshakes + after.handshakes.length);
      expect(rows(el)).to.have.length(3);
      await backend.setRestFault(null);
      await backend.startSockets();
      el.reconnect();
      await until(isLive(el), 'live after reconnect()');
    });

    it('should drop a very slow answer overtaken by a newer question', async () => {
      const slow = await Backend.start({ appointments: [{ id: 'old', start: todayAt(9), patientName: 'Slow Answer' }] });
      const fast = await Backend.start({ appointments: [{ id: 'new', start: todayAt(10), patientName: 'New Answer' }] });
      await slow.setRestFault({ delayMs: 1500 });
      const el = await dashboardFor(slow);
      await until(async () => (await requests(slow)) === 1, 'slow request under way');
      el.appointmentsUrl = fast.restUrl;
      await until(() => patients(el).join() === 'New Answer', 'the newer answer is shown');
      await realDelay(1700);
      expect(patients(el)).to.deep.equal(['New Answer']);
      expect(errorText(el)).to.equal('');
    });

    it('should never run two fetches at once: signals during a fetch queue exactly one more', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const el = await dashboardFor(backend);
      await until(isLive(el), 'live');
      await until(() => rows(el).length === 3, 'rows');
      await backend.setRestFault({ delayMs: 1500 });
      await backend.emit({});
      await until(async () => (await requests(backend)) === 2, 'signal fetch under way');
      await backend.emitMany([{}, {}, {}]);
      await until(async () => (await requests(backend)) === 3, 'exactly one more, after it', 5000);
      await realDelay(300);
      const stats = await backend.stats();
      expect(stats.restRequests).to.equal(3);
      expect(stats.maxConcurrentRest).to.equal(1);
    });
  });

  describe('socket payloads', () => {
    it('should reject or ignore malformed, foreign and stale payloads and keep the schedule', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el, records } = await withRecords(backend);
      await until(isLive(el), 'live');
      await until(() => rows(el).length === 3, 'rows');
      let deep: Record<string, unknown> = {};
      for (let i = 0; i < 200; i += 1) deep = { nested: deep };
      const tomorrow = new Date(Date.now() + 86400000);
      const tomorrowKey = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
      const invalid = [
        null,
        42,
        'appointments',
        true,
        { appointments: 'all of them' },
        { appointments: [], version: 'two' },
        { action: 'updated', appointment: { id: {}, start: 5 } },
        { action: 'created' },
        { action: 'rescheduled', appointment: { id: 1 } },
        { date: 22, appointments: [] },
        [deep],
        { appointments: [{ id: 1 }, { start: todayAt(9) }] },
      ];
      const ignored = [
        { appointments: [], date: tomorrowKey },
        { action: 'deleted', appointment: { id: 1, updatedAt: '2000-01-01T00:00:00Z' }, date: tomorrowKey },
      ];
      // Deep nesting outside a list is just a signal: the element refetches.
      await backend.emitMany([...invalid, ...ignored, deep]);
      await until(() => el.metrics.events.received === invalid.length + ignored.length + 1, 'all received');
      expect(el.metrics.events.invalid).to.equal(invalid.length);
      expect(el.metrics.events.ignored).to.equal(ignored.length);
      expect(records.filter((r) => r.event === 'payload.rejected')).to.have.length(invalid.length);
      await until(async () => (await requests(backend)) === 2, 'the signal refetched');
      expect(patients(el)).to.deep.equal(['Bruno Keller', 'Alice Martin', 'Chiara Rossi']);

      // Wrong types in every optional field: the appointment stays, the fields go.
      await backend.emit({ action: 'created', appointment: { id: 7, start: todayAt(8), patientName: 7, provider: {}, room: [], type: null, status: 3, updatedAt: 'yesterday', end: false } });
      await until(() => el.appointments.some((a) => a.id === 7), 'created with its valid fields');
      expect(el.appointments.find((a) => a.id === 7)).to.deep.equal({ id: 7, start: todayAt(8) });

      // A stale change (older updatedAt than held) is ignored.
      const now = new Date().toISOString();
      await backend.emit({ action: 'updated', appointment: { id: 8, start: todayAt(9), patientName: 'Fresh', updatedAt: now } });
      await backend.emit({ action: 'updated', appointment: { id: 8, start: todayAt(9), patientName: 'Stale', updatedAt: '2001-01-01T00:00:00Z' } });
      await until(() => el.metrics.events.received === invalid.length + ignored.length + 4, 'all received');
      await el.updateComplete;
      expect(patients(el)).to.include('Fresh');
      expect(patients(el)).not.to.include('Stale');
    });

    it('should take a 5 MB snapshot', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const el = await dashboardFor(backend);
      await until(isLive(el), 'live');
      const note = 'x'.repeat(1000);
      const big = Array.from({ length: 5000 }, (_, i) => ({ id: i, start: todayAt(7 + Math.floor(i / 500), i % 60), patientName: `P${i}`, type: note }));
      await backend.emit({ appointments: big, version: 99 });
      await until(() => rows(el).length === 5000, '5,000 rows', 20000);
      expect(el.metrics.events.applied).to.equal(1);
    });

    it('should apply 10,000 change events sent within a second', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const el = await dashboardFor(backend);
      await until(isLive(el), 'live');
      const random = seeded(7);
      const expected = new Map<string, string>();
      for (const a of sampleDay()) expected.set(String(a.id), String(a.status));
      const statuses = ['scheduled', 'confirmed', 'checked-in', 'in-room', 'completed'];
      const payloads = Array.from({ length: 10000 }, (_, i) => {
        const id = `b${Math.floor(random() * 200)}`;
        if (random() < 0.1) {
          expected.delete(id);
          return { action: 'deleted', appointment: { id } };
        }
        const status = statuses[i % statuses.length];
        expected.set(id, status);
        return { action: 'updated', appointment: { id, start: todayAt(8, Math.floor(random() * 600) % 60), status } };
      });
      let updates = 0;
      el.addEventListener('schedule-updated', () => (updates += 1));
      await backend.emitMany(payloads);
      await until(() => el.metrics.events.received === 10000, 'all 10,000 received', 30000);
      await el.updateComplete;
      expect(el.metrics.events.invalid).to.equal(0);
      const shown = new Map(el.appointments.map((a) => [String(a.id), String(a.status)]));
      expect(shown).to.deep.equal(expected);
      expect(rows(el)).to.have.length(expected.size);
      expect(updates, 'one schedule-updated per render, not per event').to.be.within(1, 1000);
    });
  });

  describe('browser and page', () => {
    it('should send no request while offline over several poll intervals (fake clock), and fetch and reconnect at once when back online', async () => {
      // A long heartbeat, so that jumping the fake clock does not time out the connection.
      const backend = await Backend.start({ appointments: sampleDay(), pingInterval: 600000 });
      // Socket.IO's own retries are seconds apart (its Manager, made before the fake clock,
      // keeps real timers) and the polls 30 s of fake time apart: only coming online can
      // explain a fetch or a connection within a second of it.
      const { el, records } = await withRecords(backend, { pollInterval: 30000, reconnectionDelay: 5000, reconnectionDelayMax: 5000 });
      await until(isLive(el), 'live');
      await until(async () => (await requests(backend)) === 1, 'initial fetch');
      clock = sinon.useFakeTimers({
        now: Date.now(),
        toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
        shouldClearNativeTimers: true,
      });
      await backend.stopSockets();
      await until(() => el.connectionState === 'reconnecting', 'reconnecting');
      await until(async () => (await requests(backend)) === 2, 'the immediate fallback fetch');
      // The poll timer runs on the fake clock: 30 s of it is one poll.
      await clock.tickAsync(30000);
      await until(async () => (await requests(backend)) === 3, 'a poll after 30 s');

      setOnline(false);
      expect(el.connectionState).to.equal('offline');
      await el.updateComplete;
      expect(badgeText(el)).to.match(/^Offline · showing the last known schedule/);
      const polls = el.metrics.fallback.polls;
      const started = el.metrics.fetch.requests;
      // Five poll intervals while offline.
      await clock.tickAsync(5 * 30000);
      expect(el.metrics.fallback.polls, 'no poll while offline').to.equal(polls);
      expect(el.metrics.fetch.requests, 'no request started while offline').to.equal(started);
      // A request started in the ticks above would reach the server within this.
      await realDelay(300);
      expect(await requests(backend), 'no request reached the server while offline').to.equal(3);
      expect(rows(el)).to.have.length(3);

      await backend.startSockets();
      setOnline(true);
      // At once: the fetch starts in the `online` handler itself. No fake time passes, so no
      // poll can explain it, and a re-armed socket cannot have connected (and reconciled) yet.
      expect(el.metrics.fetch.requests, 'a fetch started on coming online').to.equal(started + 1);
      await until(async () => (await requests(backend)) >= 4, 'that fetch reached the server', 500);
      await until(isLive(el), 'live at once (the socket was re-armed)', 1000);
      expect(records.some((r) => r.event === 'socket.rearmed')).to.equal(true);
    });

    it('should pause polling while hidden and fetch on becoming visible when the data is old', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const el = await dashboardFor(backend, { pollInterval: 1500 });
      await until(isLive(el), 'live');
      await backend.stopSockets();
      await until(async () => (await requests(backend)) === 2, 'the immediate fallback fetch');
      setVisibility('hidden');
      await realDelay(1700);
      expect(await requests(backend), 'the poll due while hidden was skipped').to.equal(2);
      await backend.upsert({ id: 'v', start: todayAt(16), patientName: 'Seen On Return' }, false);
      setVisibility('visible');
      // Long before the next poll is due: only becoming visible explains this fetch.
      await until(() => patients(el).includes('Seen On Return'), 'fetched on becoming visible', 400);
      // The data is fresh now: hiding and showing again fetches nothing.
      setVisibility('hidden');
      setVisibility('visible');
      await realDelay(300);
      expect(await requests(backend)).to.equal(3);
    });

    it('should say the data may be out of date when it is older than twice poll-interval', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const el = await dashboardFor(backend, { pollInterval: 1000 });
      await until(isLive(el), 'live');
      await backend.setRestFault({ status: 500 });
      await backend.stopSockets();
      await until(() => badgeText(el).includes('may be out of date'), 'stale marking', 4000);
      expect(badgeText(el)).to.match(/^Reconnecting \(attempt \d+ of 60\) · updating every 1 s · Updated .* · may be out of date$/);
      await backend.setRestFault(null);
      await until(() => !badgeText(el).includes('may be out of date'), 'fresh again');
    });

    it('should roll over to the new day at midnight in time-zone', async () => {
      const backend = await Backend.start({ appointments: sampleDay(), pingInterval: 600000 });
      const today = new Date();
      const nearMidnight = new Date(today);
      nearMidnight.setHours(23, 59, 30, 0);
      clock = sinon.useFakeTimers({ now: nearMidnight, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
      const { el, records } = await withRecords(backend);
      await until(() => rows(el).length === 3, 'today’s rows');
      const tomorrow = new Date(nearMidnight.getTime() + 60000);
      await backend.setAppointments([{ id: 't1', start: new Date(tomorrow.setHours(9, 0, 0, 0)).toISOString(), patientName: 'Tomorrow First' }]);
      const sources: string[] = [];
      el.addEventListener('schedule-updated', (e) => sources.push(e.detail.source));
      // The day is checked every minute: just past the first check after midnight, well within request-timeout.
      await clock!.tickAsync(61000);
      await until(() => patients(el).join() === 'Tomorrow First', 'the new day is shown');
      expect(records.some((r) => r.event === 'day.rollover')).to.equal(true);
      expect(sources).to.include('refresh');
    });

    it('should leave no timer running once removed from fallback polling (fake clock from the start)', async () => {
      const backend = await Backend.start({ appointments: sampleDay(), pingInterval: 600000 });
      // Installed before the element exists: every timer it (and its Socket.IO Manager) starts is fake.
      clock = sinon.useFakeTimers({
        now: Date.now(),
        toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
        shouldClearNativeTimers: true,
      });
      const before = pendingTimers(clock);
      const { el, records } = await withRecords(backend, { reconnectionAttempts: 2 });
      await until(isLive(el), 'live under the fake clock');
      await until(() => rows(el).length === 3, 'rows');
      // The day check (every minute), the freshness timer, the heartbeat: the count sees them.
      expect(pendingTimers(clock), 'the element’s timers are on the fake clock').to.be.greaterThan(before);

      await backend.stopSockets();
      await until(async () => (await requests(backend)) === 2, 'the immediate fallback fetch');
      // Socket.IO's backoff waits are fake as well: tick through its two attempts until it gives up.
      await until(async () => {
        await clock!.tickAsync(300);
        return el.connectionState === 'polling';
      }, 'Socket.IO gave up');
      // Polling for ever now (poll timer, 5-minute re-arm timer); one poll on the fake clock.
      const polled = await requests(backend);
      await clock.tickAsync(30000);
      await until(async () => (await requests(backend)) === polled + 1, 'a poll after 30 s');

      el.remove();
      // What remains settles without fake time (a render waits for a frame, a socket for its close).
      await until(() => pendingTimers(clock!) === before, 'every timer cleared after removal', 3000).catch(() => {});
      expect(pendingTimers(clock), 'timers left after removal').to.equal(before);
      const after = await requests(backend);
      const { fallback, connection } = el.metrics;
      const written = records.length;
      // Past midnight and on: a leaked day check, poll or re-arm would run here.
      await clock.tickAsync(25 * 60 * 60 * 1000);
      // A request started in the tick above would reach the server within this.
      await realDelay(300);
      expect(await requests(backend), 'no request after removal').to.equal(after);
      expect(records.slice(written).map((r) => r.event), 'nothing ran after removal').to.deep.equal([]);
      expect(el.metrics.fallback.polls).to.equal(fallback.polls);
      expect(el.metrics.connection.reconnectAttempts).to.equal(connection.reconnectAttempts);
      expect((await backend.stats()).clients, 'no socket after removal').to.equal(0);
    });

    it('should stop cleanly when removed mid-fetch and mid-reconnect, and keep one socket when moved', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const el = await dashboardFor(backend, { pollInterval: 200 });
      await until(isLive(el), 'live');
      await until(() => rows(el).length === 3, 'rows');

      // Moved in the DOM: still live, still one connection, nothing lost.
      const elsewhere = document.createElement('section');
      document.body.appendChild(elsewhere);
      elsewhere.appendChild(el);
      await until(isLive(el), 'live after the move');
      await until(async () => (await backend.stats()).clients === 1, 'one connection');
      expect(rows(el)).to.have.length(3);

      // Removed mid-fetch.
      await backend.setRestFault({ hang: true });
      const beforeHang = await requests(backend);
      void el.refresh();
      await until(async () => (await requests(backend)) > beforeHang, 'the hanging request reached the server');
      el.remove();
      await backend.setRestFault(null);
      await until(async () => (await backend.stats()).clients === 0, 'socket closed');

      // Removed mid-reconnect.
      elsewhere.appendChild(el);
      await until(isLive(el), 'live again');
      await backend.stopSockets();
      await until(() => el.connectionState === 'reconnecting', 'reconnecting');
      el.remove();
      elsewhere.remove();
      // A poll sent just before the removal may still reach the server; count from after that.
      await realDelay(150);
      const after = await requests(backend);
      await backend.startSockets();
      await realDelay(1200);
      const stats = await backend.stats();
      expect(stats.clients, 'no reconnection after removal').to.equal(0);
      expect(stats.restRequests, 'no poll after removal').to.equal(after);
    });
  });
});


describe('edge cases found in review', () => {
  guardEachTest();

  it('should not claim Live on coming back online when the socket dropped while offline', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend, { pollInterval: 300 });
    await until(isLive(el), 'live');
    setOnline(false);
    await backend.stopSockets();
    await until(() => el.metrics.connection.disconnects === 1, 'dropped while offline');
    expect(el.connectionState).to.equal('offline');
    setOnline(true);
    expect(el.connectionState).to.equal('reconnecting');
    await backend.startSockets();
    await until(isLive(el), 'live once the socket is back');
  });

  it('should stay unauthorized when the browser comes back online', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend);
    await until(isLive(el), 'live');
    await backend.setRestFault({ status: 403 });
    await el.refresh();
    expect(el.connectionState).to.equal('unauthorized');
    const before = await requests(backend);
    setOnline(false);
    setOnline(true);
    await realDelay(300);
    expect(el.connectionState).to.equal('unauthorized');
    expect(await requests(backend)).to.equal(before);
  });

  it('should keep socket changes that arrive while a slower REST answer is on its way', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend);
    await until(isLive(el), 'live');
    await until(() => rows(el).length === 3, 'rows');
    await backend.setRestFault({ delayMs: 600 });
    await backend.emit({});
    await until(async () => (await requests(backend)) === 2, 'signal fetch under way');
    await backend.upsert({ id: 'race', start: todayAt(11), patientName: 'Mid Flight' });
    await until(() => patients(el).includes('Mid Flight'), 'the change is shown');
    await until(() => (el.metrics.fetch.lastDurationMs ?? 0) >= 550, 'the slow answer has been applied');
    await el.updateComplete;
    expect(patients(el), 'the older REST answer did not erase it').to.include('Mid Flight');
    expect(rows(el)).to.have.length(4);
  });

  it('should time out a host fetchAppointments that never settles', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend);
    await until(() => rows(el).length === 3, 'rows');
    el.requestTimeout = 300;
    el.fetchAppointments = () => new Promise(() => {});
    await until(() => errorText(el).includes('no answer in time'), 'timed out', 3000);
    el.fetchAppointments = async () => [{ id: 'h', start: todayAt(9), patientName: 'Host Loader' }];
    await until(() => patients(el).join() === 'Host Loader', 'the next loader is used');
  });

  it('should survive an unusable server-url', async () => {
    const el = document.createElement('schedule-dashboard');
    el.logLevel = 'silent';
    el.setAttribute('server-url', 'http://');
    el.requestTimeout = 2000;
    document.body.appendChild(el);
    try {
      await el.updateComplete;
      await until(() => errorText(el) !== '', 'an error is shown', 5000);
      expect(el.shadowRoot!.querySelector('[part="header"]')).not.to.equal(null);
    } finally {
      el.remove();
    }
  });

  it('should follow a new event-name at run time', async () => {
    const backend = await Backend.start({ appointments: sampleDay(), eventName: 'clinic_changed' });
    const el = await dashboardFor(backend);
    await until(isLive(el), 'live');
    await backend.upsert({ id: 'e1', start: todayAt(6), patientName: 'Unheard' });
    await realDelay(200);
    expect(patients(el)).not.to.include('Unheard');
    el.eventName = 'clinic_changed';
    await until(() => el.metrics.connection.connects === 2 && isLive(el)(), 'reconnected for the new event');
    await backend.upsert({ id: 'e2', start: todayAt(6, 30), patientName: 'Heard' });
    await until(() => patients(el).includes('Heard'), 'the new event is followed');
  });

  it('should hide names when patient-names is mistyped', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend);
    await until(() => rows(el).length === 3, 'rows');
    el.setAttribute('patient-names', 'Hidden');
    await el.updateComplete;
    expect(patients(el)).to.deep.equal([]);
  });

  it('should re-arm a shared socket that Socket.IO gave up on when a second element joins', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const first = await dashboardFor(backend, { reconnectionAttempts: 2 });
    await until(isLive(first), 'live');
    await backend.stopSockets();
    await until(() => first.connectionState === 'polling', 'gave up', 8000);
    await backend.startSockets();
    const second = await dashboardFor(backend, { reconnectionAttempts: 2 });
    await until(() => isLive(second)() && isLive(first)(), 'both live');
  });

  it('should handshake again with a new token on a shared socket', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const a = await dashboardFor(backend, { extra: { authToken: 'one' } });
    const b = await dashboardFor(backend, { extra: { authToken: 'one' } });
    await until(() => isLive(a)() && isLive(b)(), 'both live');
    b.authToken = 'two';
    const last = async () => (await backend.stats()).handshakes.at(-1)?.auth;
    await until(async () => (await last())?.token === 'two', 'a handshake with the new token');
    expect(await last()).to.deep.equal({ namespace: 'appointments', token: 'two' });
    await until(() => isLive(a)() && isLive(b)(), 'both live again');
  });
});
