/**
 * Issue 11, hardening: hostile and sloppy input, backend restarts, and a catch-up that is
 * never lost. One test (or more) per item of the issue, in Chromium against the real
 * backend, asserting what a front desk or a host page would notice. Every test also fails
 * on any uncaught error or unhandled rejection.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import type { LogRecord, ScheduleDashboard, ScheduleErrorDetail } from '../src/schedule-dashboard.js';
import {
  Backend,
  badgeText,
  closeBackends,
  errorText,
  isLive,
  patients,
  QUICK,
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

/** Elements a test put on the page; removed after it. */
const mounted: ScheduleDashboard[] = [];
/** Undone after each test (a changed `<html lang>`, an iframe). */
const cleanups: Array<() => void> = [];

/** Each test: record uncaught errors, and afterwards undo everything and fail on any error. */
function guardEachTest() {
  beforeEach(() => {
    uncaught.start();
  });

  afterEach(async () => {
    for (const el of mounted.splice(0)) el.remove();
    for (const undo of cleanups.splice(0).reverse()) undo();
    const errors = uncaught.stop();
    sinon.restore();
    await closeBackends();
    expect(errors, 'uncaught errors').to.deep.equal([]);
  });
}

interface Mounted {
  el: ScheduleDashboard;
  records: LogRecord[];
  errors: ScheduleErrorDetail[];
}

/**
 * Puts an element on the page with `attributes` (quick reconnection settings, `log-level`
 * debug) and `properties`, all set before it connects, so that its very first fetch and
 * handshake already use them; its log records and `schedule-error` details are collected.
 */
async function mount(attributes: Record<string, string | number>, properties: Partial<ScheduleDashboard> = {}): Promise<Mounted> {
  const el = document.createElement('schedule-dashboard');
  const records: LogRecord[] = [];
  const errors: ScheduleErrorDetail[] = [];
  el.addEventListener('schedule-error', (e) => errors.push(e.detail));
  const all = {
    'log-level': 'debug',
    'poll-interval': 30000,
    'reconnection-delay': QUICK.reconnectionDelay,
    'reconnection-delay-max': QUICK.reconnectionDelayMax,
    'reconnection-attempts': 60,
    ...attributes,
  };
  for (const [name, value] of Object.entries(all)) el.setAttribute(name, String(value));
  el.logger = (record) => records.push(record);
  Object.assign(el, properties);
  document.body.append(el);
  mounted.push(el);
  await el.updateComplete;
  return { el, records, errors };
}

/** An element pointed at `backend`. */
const on = (backend: Backend, attributes: Record<string, string | number> = {}, properties: Partial<ScheduleDashboard> = {}) =>
  mount({ 'server-url': backend.url, ...attributes }, properties);

/** Records of one event. */
const recorded = (records: LogRecord[], event: string) => records.filter((r) => r.event === event);

/** An ISO instant `days` days from today (browser time zone) at hh:mm. */
function dayAt(days: number, hours: number, minutes = 0): string {
  const at = new Date();
  at.setDate(at.getDate() + days);
  at.setHours(hours, minutes, 0, 0);
  return at.toISOString();
}

/** YYYY-MM-DD of `days` days from today (browser time zone). */
function dayKey(days: number): string {
  const at = new Date();
  at.setDate(at.getDate() + days);
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
}

/** A REST fault, including options that `Backend.setRestFault`'s type does not list (`redirect`). */
const setFault = (backend: Backend, fault: Record<string, unknown> | null) =>
  executeServerCommand('schedule-backend', { action: 'setRestFault', id: backend.id, fault });

/** The first text node under `root` that contains `needle`. */
function textNodeWith(root: Node, needle: string): Text {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.textContent?.includes(needle)) return node as Text;
  }
  throw new Error(`no text node with ${JSON.stringify(needle)}`);
}

/** Where the character at `index` of `node` is drawn (its left edge, in px). */
function drawnAt(node: Text, index: number): number {
  const range = document.createRange();
  range.setStart(node, index);
  range.setEnd(node, index + 1);
  return range.getBoundingClientRect().left;
}

/** True when `word` (inside `root`) is drawn left to right: its first letter left of its last. */
function readsLeftToRight(root: Node, word: string): boolean {
  const node = textNodeWith(root, word);
  const at = node.data.indexOf(word);
  return drawnAt(node, at) < drawnAt(node, at + word.length - 1);
}

/** An epoch that no test data uses but this one: `new Date(MAGIC).toISOString()` can be made to throw. */
const MAGIC = Date.parse(todayAt(13, 13)) + 7;

/**
 * Makes `toISOString` throw a `RangeError` for MAGIC alone, as it does for a date out of
 * range: a stand-in for "any exception while reading or applying a payload".
 */
function throwOnMagic() {
  const toISOString = Date.prototype.toISOString;
  return sinon.stub(Date.prototype, 'toISOString').callsFake(function (this: Date) {
    if (this.getTime() === MAGIC) throw new RangeError('Invalid time value');
    return toISOString.call(this);
  });
}

describe('hardening (issue 11)', () => {
  guardEachTest();

  describe('1. timestamps outside the range of Date', () => {
    it('should drop over REST only the items whose start is 1e20 or a nanosecond epoch, drop a nanosecond updatedAt alone, and keep applying later polls', async () => {
      const backend = await Backend.start({
        appointments: [
          ...sampleDay(),
          { id: 'far', start: 1e20, patientName: 'Far Future' },
          { id: 'nano', start: Date.parse(todayAt(11)) * 1e6, patientName: 'Nano Start' },
          { id: 'nu', start: todayAt(12), updatedAt: 1.7e18, patientName: 'Nano Updated' },
        ],
      });
      const { el, records } = await on(backend, { 'poll-interval': 1000 });
      await until(() => rows(el).length === 4, 'the four good rows');
      expect(patients(el)).to.deep.equal(['Bruno Keller', 'Alice Martin', 'Chiara Rossi', 'Nano Updated']);
      expect(el.appointments.find((a) => a.id === 'nu'), 'the bad field alone is dropped').not.to.have.property('updatedAt');
      expect(el.metrics.events.rejectedItems).to.equal(2);
      expect(recorded(records, 'payload.rejected').map((r) => [r.reason, r.items, r.source])).to.deep.equal([['invalid-appointment', 2, 'rest']]);

      // The silent-drop bug: every answer after one with such an item was lost.
      await until(isLive(el), 'live');
      await backend.stopSockets();
      await until(() => el.connectionState === 'reconnecting', 'reconnecting');
      await backend.upsert({ id: 'p1', start: todayAt(14), patientName: 'First Poll' }, false);
      await until(() => patients(el).includes('First Poll'), 'a later poll is applied', 5000);
      await backend.upsert({ id: 'p2', start: todayAt(15), patientName: 'Second Poll' }, false);
      await until(() => patients(el).includes('Second Poll'), 'and the one after', 5000);
      expect(el.metrics.fetch.errors).to.equal(0);
      expect(errorText(el)).to.equal('');
      expect(patients(el)).not.to.include('Far Future');
      expect(patients(el)).not.to.include('Nano Start');
    });

    it('should apply or count socket events with out-of-range timestamps, with no uncaught error', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el, records } = await on(backend);
      await until(isLive(el), 'live');
      await until(() => rows(el).length === 3, 'rows');

      // A nanosecond updatedAt: the field goes, the change applies.
      await backend.emit({ action: 'updated', appointment: { id: 1, start: todayAt(9), patientName: 'Alice Renamed', updatedAt: 1.7e18 } });
      await until(() => patients(el).includes('Alice Renamed'), 'the change is applied');
      expect(el.appointments.find((a) => a.id === 1)).not.to.have.property('updatedAt');

      // A start of 1e20: the change is refused, counted.
      await backend.emit({ action: 'created', appointment: { id: 'far', start: 1e20, patientName: 'Far Future' } });
      await until(() => el.metrics.events.invalid === 1, 'the change is counted as invalid');

      // In a snapshot: the item alone is dropped, the rest applies (a bad `end` goes alone).
      await backend.emit({
        appointments: [...sampleDay(), { id: 'far', start: 1e20, patientName: 'Far Future' }, { id: 'kept', start: todayAt(14), end: 1e20, patientName: 'Snapshot Kept' }],
      });
      await until(() => patients(el).includes('Snapshot Kept'), 'the snapshot is applied');
      expect(el.appointments.find((a) => a.id === 'kept')).not.to.have.property('end');
      expect(patients(el)).not.to.include('Far Future');
      expect(el.metrics.events.rejectedItems).to.equal(1);
      expect(el.metrics.events.received).to.equal(3);
      expect(el.metrics.events.applied).to.equal(2);
      expect(recorded(records, 'payload.rejected').map((r) => r.reason)).to.deep.equal(['invalid-appointment', 'invalid-appointment']);
    });

    it('should catch, count and log an exception thrown while applying a socket payload, and keep the last good schedule', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el, records, errors } = await on(backend);
      await until(isLive(el), 'live');
      await until(() => rows(el).length === 3, 'rows');
      throwOnMagic();
      await backend.emit({ appointments: [{ id: 'x', start: MAGIC, patientName: 'Unusable' }, ...sampleDay()] });
      await until(() => el.metrics.events.received === 1, 'received');
      expect(el.metrics.events.invalid).to.equal(1);
      const rejected = recorded(records, 'payload.rejected');
      expect(rejected.map((r) => [r.reason, r.source, r.error])).to.deep.equal([['unusable', 'socket', 'RangeError']]);
      expect(errors.map((e) => e.kind)).to.deep.equal(['payload']);
      await el.updateComplete;
      expect(patients(el)).to.deep.equal(['Bruno Keller', 'Alice Martin', 'Chiara Rossi']);
    });

    it('should catch an exception thrown while applying a REST answer (fetch.failed unusable), and apply the next answer', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el, records } = await on(backend);
      await until(isLive(el), 'live');
      await until(() => rows(el).length === 3, 'rows');
      const stub = throwOnMagic();
      await backend.upsert({ id: 'x', start: MAGIC, patientName: 'Unusable' }, false);
      await el.refresh();
      expect(errorText(el)).to.contain('the answer could not be used');
      expect(el.metrics.fetch.errors).to.equal(1);
      expect(recorded(records, 'fetch.failed').map((r) => [r.reason, r.error])).to.deep.equal([['unusable', 'RangeError']]);
      expect(patients(el)).to.deep.equal(['Bruno Keller', 'Alice Martin', 'Chiara Rossi']);
      stub.restore();
      await backend.upsert({ id: 'y', start: todayAt(15), patientName: 'After The Failure' }, false);
      await el.refresh();
      expect(patients(el)).to.include.members(['After The Failure', 'Unusable']);
      expect(errorText(el)).to.equal('');
    });
  });

  describe('2. a backend restart resets versions', () => {
    it('should apply a version-1 snapshot after the socket reconnects, though version 10 came before', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el } = await on(backend);
      await until(isLive(el), 'live');
      await until(() => rows(el).length === 3, 'rows');
      await backend.emit({ appointments: [{ id: 'v10', start: todayAt(9), patientName: 'Version Ten' }], version: 10 });
      await until(() => patients(el).join() === 'Version Ten', 'version 10 shown');
      const checks = el.metrics.consistency.checks;
      await backend.dropClients();
      await until(() => el.metrics.connection.successfulReconnects === 1 && isLive(el)(), 'reconnected');
      await until(() => el.metrics.consistency.checks === checks + 1, 'the reconciling fetch is done');
      await backend.emit({ appointments: [{ id: 'v1', start: todayAt(10), patientName: 'Version One' }], version: 1 });
      await until(() => patients(el).join() === 'Version One', 'the new connection’s version 1 is shown');
      expect(el.metrics.events.ignored).to.equal(0);
    });

    it('should apply a version-1 snapshot after the socket server restarts (stopSockets, startSockets)', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el } = await on(backend);
      await until(isLive(el), 'live');
      await backend.emit({ appointments: [{ id: 'v10', start: todayAt(9), patientName: 'Version Ten' }], version: 10 });
      await until(() => patients(el).join() === 'Version Ten', 'version 10 shown');
      await backend.stopSockets();
      await until(() => el.connectionState === 'reconnecting', 'reconnecting');
      await backend.startSockets();
      await until(isLive(el), 'live again');
      await until(() => el.metrics.consistency.checks >= 1, 'the reconciling fetch is done');
      await backend.emit({ appointments: [{ id: 'v1', start: todayAt(10), patientName: 'Restarted One' }], version: 1 });
      await until(() => patients(el).join() === 'Restarted One', 'the restarted server’s version 1 is shown');
    });

    it('should never ignore a REST answer for its version alone', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el } = await on(backend);
      await until(isLive(el), 'live');
      await backend.emit({ appointments: sampleDay(), version: 1000 });
      await until(() => el.metrics.events.applied === 1, 'the snapshot is applied');
      expect((await backend.stats()).version, 'the server’s own version is lower').to.be.below(1000);
      await backend.upsert({ id: 'rest', start: todayAt(16), patientName: 'From REST' }, false);
      await el.refresh();
      expect(patients(el)).to.include('From REST');
    });

    it('should not refresh "Updated" with data that is ignored', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el } = await on(backend);
      await until(isLive(el), 'live');
      await backend.emit({ appointments: sampleDay(), version: 10 });
      await until(() => el.metrics.events.applied === 1, 'the snapshot is applied');
      await backend.emit({ action: 'updated', appointment: { id: 1, start: todayAt(9), patientName: 'Alice Martin', updatedAt: new Date().toISOString() } });
      await until(() => el.metrics.events.applied === 2, 'the change is applied');
      const updated = el.lastUpdated?.getTime();
      expect(updated).to.be.a('number');
      // Long enough for a refreshed "Updated" to carry another time.
      await realDelay(30);
      await backend.emitMany([
        { appointments: [{ id: 'old', start: todayAt(9), patientName: 'Older Version' }], version: 5 },
        { action: 'updated', appointment: { id: 1, start: todayAt(9), patientName: 'Stale Change', updatedAt: '2001-01-01T00:00:00Z' } },
        { appointments: [{ id: 't', start: dayAt(1, 9), patientName: 'Tomorrow' }], date: dayKey(1) },
      ]);
      await until(() => el.metrics.events.ignored === 3, 'all three ignored');
      await el.updateComplete;
      expect(el.lastUpdated?.getTime(), 'Updated is unchanged').to.equal(updated);
      expect(patients(el)).to.deep.equal(['Bruno Keller', 'Alice Martin', 'Chiara Rossi']);
    });
  });

  describe('3. a failed reconciling fetch is retried', () => {
    it('should say "catching up" while it fails, never claim the last known schedule under Live, and catch up by itself once REST answers', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el, records } = await on(backend, { 'poll-interval': 1000 });
      await until(isLive(el), 'live');
      await until(() => rows(el).length === 3, 'rows');
      await backend.setRestFault({ status: 500 });
      await backend.stopSockets();
      await until(() => el.connectionState === 'reconnecting', 'reconnecting');
      await backend.upsert({ id: 'missed', start: todayAt(16), patientName: 'Missed Meanwhile' }, false);
      await until(() => el.metrics.fetch.errors >= 1, 'the fallback fetch failed');
      await backend.startSockets();
      await until(isLive(el), 'live again');
      await until(() => recorded(records, 'fetch.failed').some((r) => r.source === 'reconcile'), 'the reconciling fetch failed');
      await until(() => badgeText(el).includes('catching up'), 'catching up');
      expect(badgeText(el)).to.match(/^Live · Updated .* · catching up$/);
      expect(errorText(el)).to.match(/^Could not load today's appointments \(server error, HTTP 500\)/);
      expect(errorText(el)).not.to.contain('Showing the last known schedule');
      expect(patients(el)).not.to.include('Missed Meanwhile');

      await backend.setRestFault(null);
      await until(() => patients(el).includes('Missed Meanwhile'), 'the missed change, with no further event', 5000);
      await until(() => !badgeText(el).includes('catching up'), 'caught up');
      expect(badgeText(el)).to.match(/^Live · Updated /);
      expect(errorText(el)).to.equal('');
      expect(el.metrics.events.received, 'no socket event explains it').to.equal(0);
    });
  });

  describe('5. snapshot items for other days and lenient starts', () => {
    it('should drop snapshot items for other days alone, counted', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el, records } = await on(backend);
      await until(isLive(el), 'live');
      await backend.emit({
        appointments: [
          { id: 't', start: todayAt(11), patientName: 'Today Kept' },
          { id: 'tm', start: dayAt(1, 9), patientName: 'Tomorrow Dropped' },
          { id: 'y', start: dayAt(-1, 9), patientName: 'Yesterday Dropped' },
        ],
      });
      await until(() => el.metrics.events.received === 1, 'received');
      await el.updateComplete;
      expect(patients(el)).to.deep.equal(['Today Kept']);
      expect(el.metrics.events.rejectedItems).to.equal(2);
      expect(recorded(records, 'payload.rejected').map((r) => [r.reason, r.items, r.source])).to.deep.equal([['other-day', 2, 'socket']]);
    });

    it('should not take "1", "Tuesday 3" or "Jane Doe 12" for a start (the item is dropped, not shown at 12:00 AM)', async () => {
      const backend = await Backend.start({
        appointments: [
          ...sampleDay(),
          { id: 's1', start: '1', patientName: 'Start One' },
          { id: 's2', start: 'Tuesday 3', patientName: 'Start Tuesday' },
          { id: 's3', start_time: 'Jane Doe 12', patientName: 'Start Jane' },
        ],
      });
      const { el, records } = await on(backend);
      await until(() => el.metrics.events.rejectedItems === 3, 'three items dropped');
      await until(() => rows(el).length === 3, 'the good rows');
      expect(patients(el)).to.deep.equal(['Bruno Keller', 'Alice Martin', 'Chiara Rossi']);
      expect(rows(el).some((row) => row.includes('12:00'))).to.equal(false);
      expect(recorded(records, 'payload.rejected').map((r) => [r.reason, r.items])).to.deep.equal([['invalid-appointment', 3]]);

      await until(isLive(el), 'live');
      await backend.emit({ action: 'created', appointment: { id: 's4', start: 'Tuesday 3', patientName: 'Change Tuesday' } });
      await until(() => el.metrics.events.invalid === 1, 'the change is refused');
      expect(patients(el)).not.to.include('Change Tuesday');
    });

    it('should show an appointment whose ISO 8601 start has a decimal comma, with the rest of the snapshot', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el } = await on(backend);
      await until(isLive(el), 'live');
      // ISO 8601 allows a comma as the decimal sign ("2026-11-24T09:30:00,5Z").
      const comma = todayAt(11).replace('.000Z', ',5Z');
      await backend.emit({ appointments: [...sampleDay(), { id: 'comma', start: comma, patientName: 'Decimal Comma' }] });
      await until(() => el.metrics.events.received === 1, 'received');
      await el.updateComplete;
      expect(el.metrics.events.invalid, 'the snapshot is not refused').to.equal(0);
      expect(patients(el)).to.deep.equal(['Bruno Keller', 'Alice Martin', 'Chiara Rossi', 'Decimal Comma']);
    });
  });

  describe('6. transports written sloppily', () => {
    const cases: Array<[string, string | undefined]> = [
      ['websocket,polling', undefined],
      ['websocket, polling', undefined],
      ['websockets', 'websocket'],
      ['websocket,pollin', 'websocket'],
    ];
    for (const [transports, used] of cases) {
      it(`should render, fetch and go live with transports="${transports}"${used ? ', with one config.invalid record' : ''}`, async () => {
        const backend = await Backend.start({ appointments: sampleDay() });
        const { el, records } = await on(backend, { transports });
        expect(el.shadowRoot!.querySelector('[part="header"]'), 'rendered').not.to.equal(null);
        await until(() => rows(el).length === 3, 'the REST list');
        await until(isLive(el), 'live');
        expect(await requests(backend)).to.be.at.least(1);
        expect((await backend.stats()).handshakes.map((h) => h.transport)).to.deep.equal(['websocket']);
        const named = recorded(records, 'config.invalid').filter((r) => r.attribute === 'transports');
        expect(named.map((r) => r.value)).to.deep.equal(used ? [used] : []);
      });
    }
  });

  describe('7. millisecond attributes out of range', () => {
    it('should poll at most once a second with poll-interval="1"', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el, records } = await on(backend, { 'poll-interval': 1 });
      await until(isLive(el), 'live');
      await until(async () => (await requests(backend)) === 1, 'the first fetch');
      expect(recorded(records, 'config.invalid').filter((r) => r.attribute === 'poll-interval').map((r) => r.value)).to.deep.equal([1000]);
      await backend.stopSockets();
      await until(() => el.connectionState === 'reconnecting', 'reconnecting');
      await realDelay(3000);
      const besidesTheFirst = (await requests(backend)) - 1;
      expect(besidesTheFirst, 'requests over ~3 s of fallback').to.be.within(2, 4);
      expect(badgeText(el)).to.match(/updating every 1 s/);
    });

    it('should not storm with poll-interval="99999999999" (above 2^31 − 1)', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el, records } = await on(backend, { 'poll-interval': '99999999999' });
      await until(isLive(el), 'live');
      await until(async () => (await requests(backend)) === 1, 'the first fetch');
      expect(recorded(records, 'config.invalid').filter((r) => r.attribute === 'poll-interval').map((r) => r.value)).to.deep.equal([86400000]);
      await backend.stopSockets();
      await until(async () => (await requests(backend)) === 2, 'the immediate fallback fetch');
      await realDelay(1500);
      expect(await requests(backend), 'no poll within 1.5 s').to.equal(2);
    });

    it('should not abort every fetch at once with request-timeout="99999999999"', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      await backend.setRestFault({ delayMs: 300 });
      const { el, records } = await on(backend, { 'request-timeout': '99999999999' });
      await until(() => rows(el).length === 3, 'the slow answer is taken', 5000);
      expect(recorded(records, 'fetch.failed')).to.deep.equal([]);
      expect(recorded(records, 'config.invalid').filter((r) => r.attribute === 'request-timeout').map((r) => r.value)).to.deep.equal([120000]);
    });
  });

  describe('8. an invalid locale keeps time-zone', () => {
    /** Now, to the minute: today in any zone, so the appointment is shown wherever "today" is. */
    const start = () => new Date(Math.floor(Date.now() / 60000) * 60000);
    const auckland = (at: Date, locale: string | undefined) =>
      new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone: 'Pacific/Auckland' }).format(at);

    it('should show Auckland’s time with locale="en_US" time-zone="Pacific/Auckland"', async () => {
      const at = start();
      const expected = auckland(at, document.documentElement.lang || undefined);
      expect(expected, 'Auckland differs from the browser zone').not.to.equal(new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(at));
      const backend = await Backend.start({ appointments: [{ id: 'nz', start: at.toISOString(), patientName: 'Kia Ora' }] });
      const { el } = await on(backend, { locale: 'en_US', 'time-zone': 'Pacific/Auckland' });
      await until(() => rows(el).length === 1, 'the row');
      expect(el.shadowRoot!.querySelector('[part="time"]')!.textContent!.trim()).to.equal(expected);
    });

    it('should show Auckland’s time under <html lang="de_DE"> with time-zone="Pacific/Auckland"', async () => {
      const lang = document.documentElement.getAttribute('lang');
      cleanups.push(() => (lang === null ? document.documentElement.removeAttribute('lang') : document.documentElement.setAttribute('lang', lang)));
      document.documentElement.setAttribute('lang', 'de_DE');
      const at = start();
      const expected = auckland(at, undefined);
      const backend = await Backend.start({ appointments: [{ id: 'nz', start: at.toISOString(), patientName: 'Kia Ora' }] });
      const { el } = await on(backend, { 'time-zone': 'Pacific/Auckland' });
      await until(() => rows(el).length === 1, 'the row');
      expect(el.shadowRoot!.querySelector('[part="time"]')!.textContent!.trim()).to.equal(expected);
    });
  });

  describe('9. a namespace the server does not know', () => {
    it('should not say Sign-in required for namespace="/appointmentz": polling, the REST list kept up to date, a socket error', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el, errors, records } = await on(backend, { namespace: '/appointmentz', 'poll-interval': 1000 });
      await until(() => el.connectionState === 'polling', 'polling', 8000);
      await el.updateComplete;
      expect(badgeText(el)).not.to.contain('Sign-in required');
      expect(badgeText(el)).to.match(/^Live updates unavailable · updating every 1 s/);
      await until(() => rows(el).length === 3, 'the REST list');
      expect(errors.map((e) => e.kind)).to.include('socket');
      expect(errors.map((e) => e.kind)).not.to.include('auth');
      expect(recorded(records, 'socket.invalid-namespace')).to.have.length(1);
      await backend.upsert({ id: 'p', start: todayAt(17), patientName: 'By Polling' }, false);
      await until(() => patients(el).includes('By Polling'), 'kept up to date by polling', 4000);
      expect(el.connectionState).to.equal('polling');
    });
  });

  describe('10. a token function that never settles', () => {
    it('should say no sign-in token could be had (not blame the server), log auth.token-failed, and send no request without it', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el, records } = await on(backend, { 'request-timeout': 1000 }, { authToken: () => new Promise<string>(() => {}) });
      await until(() => errorText(el) !== '', 'an error is shown', 5000);
      expect(errorText(el)).to.contain('no sign-in token could be had');
      expect(errorText(el)).not.to.match(/no answer in time|server unreachable/);
      expect(recorded(records, 'auth.token-failed').length).to.be.at.least(1);
      const stats = await backend.stats();
      expect(stats.restRequests, 'no REST request reached the server').to.equal(0);
      expect(stats.authorizations).to.deep.equal([]);
    });

    it('should start the request’s own time limit once the token is had', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      await backend.setRestFault({ delayMs: 500 });
      const token = () => new Promise<string>((resolve) => setTimeout(() => resolve('slow-token'), 700));
      const { el, records } = await on(backend, { 'request-timeout': 1000 }, { authToken: token });
      // 700 ms for the token, then 500 ms for the answer: more than 1000 ms in all, less than each limit.
      await until(() => rows(el).length === 3, 'the answer is taken', 5000);
      expect(recorded(records, 'fetch.failed')).to.deep.equal([]);
      expect((await backend.stats()).authorizations[0]).to.equal('Bearer slow-token');
    });
  });

  describe('11. a server-url that is not an http(s) URL', () => {
    for (const serverUrl of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'pms.example-clinic.org', 'http://']) {
      it(`should use the page origin for server-url="${serverUrl}", with exactly one config.invalid record`, async () => {
        const alert = sinon.stub(window, 'alert');
        performance.clearResourceTimings();
        const { el, records } = await mount({ 'server-url': serverUrl, 'request-timeout': 2000 });
        const rest = `${location.origin}/api/appointments/today`;
        await until(() => performance.getEntriesByType('resource').some((e) => e.name.startsWith(rest)), 'REST asked the page origin');
        // Re-renders and re-reads of the configuration.
        for (const ms of [2000, 3000, 4000]) {
          el.pollInterval = ms;
          await el.updateComplete;
        }
        el.heading = 'Front desk';
        await el.updateComplete;
        el.reconnectionDelay = 200;
        await el.updateComplete;
        const named = recorded(records, 'config.invalid').filter((r) => r.attribute === 'server-url');
        expect(named.map((r) => r.value)).to.deep.equal([location.origin]);
        expect(alert.called).to.equal(false);
        expect(el.shadowRoot!.querySelector('[part="header"]')).not.to.equal(null);
      });
    }
  });

  describe('12. text from data is isolated for bidirectional display', () => {
    it('should not let a U+202E in patientName reorder the provider, nor one in type turn "Room 7" around', async () => {
      const backend = await Backend.start({
        appointments: [{ id: 1, start: todayAt(9), patientName: 'Ann \u202ELee', provider: 'Dr. Chen', type: 'Check\u202Eup', room: '7' }],
      });
      const { el } = await on(backend);
      await until(() => rows(el).length === 1, 'the row');
      await el.updateComplete;
      const row = el.shadowRoot!.querySelector('[part="appointment"]')!;
      const provider = row.querySelector('[part="provider"]')!;
      const bdi = provider.querySelector('bdi');
      expect(bdi?.textContent, 'the provider in its own <bdi>, unchanged').to.equal('Dr. Chen');
      expect(readsLeftToRight(provider, 'Dr. Chen'), 'the provider is drawn left to right').to.equal(true);
      expect(readsLeftToRight(row, 'Room'), '"Room" is drawn left to right').to.equal(true);
    });

    it('should take initials by grapheme, with no lone surrogate and no format character', async () => {
      const backend = await Backend.start({
        appointments: [
          { id: 1, start: todayAt(9), patientName: '😀mily Ünal' },
          { id: 2, start: todayAt(10), patientName: '\u200Eanna Berg' },
          { id: 3, start: todayAt(11), patientName: 'דוד לוי' },
        ],
      });
      const { el } = await on(backend, { 'patient-names': 'initials' });
      await until(() => rows(el).length === 3, 'rows');
      const shown = patients(el) as string[];
      expect(shown).to.deep.equal(['😀. Ü.', 'A. B.', 'ד. ל.']);
      const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
      for (const text of shown) {
        expect(text).not.to.match(/\uFFFD/);
        expect(text).not.to.match(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
        expect(text).not.to.match(/\p{Cf}/u);
        for (const initial of text.split(' ')) expect([...graphemes.segment(initial.replace(/\.$/, ''))], initial).to.have.length(1);
      }
    });
  });

  describe('13. sizes follow the host’s font size', () => {
    for (const size of ['20px', '32px']) {
      it(`should keep each time on one line with the host at font-size ${size}`, async () => {
        const backend = await Backend.start({
          appointments: [
            { id: 1, start: todayAt(10, 15), patientName: 'Alice Martin', provider: 'Dr. Chen', status: 'confirmed' },
            { id: 2, start: todayAt(12, 45), patientName: 'Bruno Keller', provider: 'Dr. Osei', status: 'checked-in' },
            { id: 3, start: todayAt(8), patientName: 'Chiara Rossi', status: 'scheduled' },
          ],
        });
        const { el } = await on(backend);
        el.style.fontSize = size;
        await until(() => rows(el).length === 3, 'rows');
        await el.updateComplete;
        const times = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part="time"]')];
        expect(times).to.have.length(3);
        for (const time of times) {
          const range = document.createRange();
          range.selectNodeContents(time);
          const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          expect(lines.size, `${time.textContent} on one line`).to.equal(1);
          // The text's own height (the <time> box itself stretches to the grid row).
          expect(range.getBoundingClientRect().height, `${time.textContent} is one line high`).to.be.below(parseFloat(getComputedStyle(time).fontSize) * 1.7);
          expect(time.scrollWidth, `${time.textContent} fits its column`).to.be.at.most(time.clientWidth + 1);
        }
      });
    }
  });

  describe('14. moved into a same-origin iframe', () => {
    it('should keep its styles in the iframe and after moving back', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el } = await on(backend);
      await until(() => rows(el).length === 3, 'rows');
      const frame = document.createElement('iframe');
      document.body.append(frame);
      cleanups.push(() => frame.remove());
      const doc = frame.contentDocument!;
      const part = (name: string) => el.shadowRoot!.querySelector(`[part="${name}"]`)!;
      doc.body.append(doc.adoptNode(el));
      await el.updateComplete;
      await until(() => frame.contentWindow!.getComputedStyle(part('header')).display === 'flex', 'the header styled in the iframe', 3000);
      expect(frame.contentWindow!.getComputedStyle(part('appointment')).display).to.equal('grid');

      document.body.append(document.adoptNode(el));
      await el.updateComplete;
      await until(() => getComputedStyle(part('header')).display === 'flex', 'the header styled after moving back', 3000);
      expect(getComputedStyle(part('appointment')).display).to.equal('grid');
      await until(() => rows(el).length === 3, 'rows after moving back');
    });
  });

  describe('15. limits', () => {
    it('should not widen the page with a 1 MB patient name without spaces', async () => {
      const name = 'N'.repeat(1_000_000);
      const backend = await Backend.start({ appointments: [...sampleDay(), { id: 'long', start: todayAt(11), patientName: name, provider: 'Dr. Chen' }] });
      const { el } = await on(backend);
      await until(() => rows(el).length === 4, 'rows', 15000);
      await el.updateComplete;
      expect(patients(el).some((shown) => shown === name), 'the whole name is shown').to.equal(true);
      expect(el.scrollWidth, 'the element').to.be.at.most(el.clientWidth + 1);
      expect(document.documentElement.scrollWidth, 'the page').to.be.at.most(document.documentElement.clientWidth + 1);
    });

    it('should refuse a socket snapshot of 10,001 appointments as too large and keep the last good list', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el, records } = await on(backend);
      await until(isLive(el), 'live');
      await until(() => rows(el).length === 3, 'rows');
      const big = Array.from({ length: 10001 }, (_, i) => ({ id: `b${i}`, start: todayAt(8 + (i % 10)), patientName: `P${i}` }));
      await backend.emit({ appointments: big });
      await until(() => el.metrics.events.received === 1, 'received', 15000);
      await el.updateComplete;
      expect(el.metrics.events.invalid).to.equal(1);
      expect(recorded(records, 'payload.rejected').map((r) => r.reason)).to.deep.equal(['too-large']);
      expect(rows(el)).to.have.length(3);
    });

    it('should refuse a REST body over 10 MB as too large and keep the last good list', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el, records } = await on(backend);
      await until(isLive(el), 'live');
      await until(() => rows(el).length === 3, 'rows');
      const pad = 'x'.repeat(10.5 * 1024 * 1024);
      await backend.setRestFault({ body: JSON.stringify({ appointments: [{ id: 'huge', start: todayAt(12), patientName: 'Huge Body' }], pad }) });
      await el.refresh();
      expect(recorded(records, 'fetch.failed').map((r) => r.reason)).to.deep.equal(['too-large']);
      expect(errorText(el)).to.contain('too large');
      expect(patients(el)).not.to.include('Huge Body');
      expect(rows(el)).to.have.length(3);
    });
  });

  describe('16. floods are summarised', () => {
    it('should write at most 21 payload.rejected records and 20 schedule-error events for 20,000 invalid payloads, and one log.suppressed with the count', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el, records, errors } = await on(backend);
      await until(isLive(el), 'live');
      await backend.emitMany(Array.from({ length: 20000 }, () => null));
      await until(() => el.metrics.events.received === 20000, 'all received', 30000);
      expect(el.metrics.events.invalid).to.equal(20000);
      const rejected = recorded(records, 'payload.rejected').length;
      expect(rejected).to.be.within(1, 21);
      expect(errors.length).to.be.within(1, 20);
      expect(recorded(records, 'log.suppressed'), 'the minute is not over yet').to.deep.equal([]);
      // Leaving the page writes the summaries of what was held back.
      el.remove();
      const summaries = recorded(records, 'log.suppressed');
      expect(summaries.find((r) => r.suppressed === 'payload.rejected')?.count).to.equal(20000 - rejected);
      expect(summaries.find((r) => r.suppressed === 'schedule-error.payload')?.count).to.equal(20000 - errors.length);
      expect(rows(el)).to.have.length(3);
    });
  });

  describe('17. REST stays on the named origin', () => {
    it('should refuse a cross-origin redirect: the other origin’s schedule never shows and the bearer token never reaches it', async () => {
      // Both would let this page in (a request redirected to another origin carries `Origin: null`):
      // only the element can keep the token and the schedule from crossing.
      const allowedOrigins = [location.origin, 'null'];
      const other = await Backend.start({ appointments: [{ id: 'o', start: todayAt(9), patientName: 'Other Origin' }], allowedOrigins });
      const backend = await Backend.start({ appointments: sampleDay(), allowedOrigins });
      await setFault(backend, { redirect: other.restUrl });
      const { el, records } = await on(backend, {}, { authToken: 'secret-bearer' });
      await until(() => errorText(el) !== '', 'the redirect is refused', 5000);
      await until(isLive(el), 'live');
      // Retries of the failed load (catch-up) meanwhile: each is refused the same way.
      await realDelay(500);
      expect(patients(el)).not.to.include('Other Origin');
      expect(el.appointments).to.deep.equal([]);
      expect(errorText(el)).to.contain('server unreachable');
      expect(recorded(records, 'fetch.failed').every((r) => r.reason === 'network')).to.equal(true);
      expect((await backend.stats()).authorizations[0], 'the token went to the named origin').to.equal('Bearer secret-bearer');
      const stats = await other.stats();
      expect(stats.restRequests, 'no request reached the other origin').to.equal(0);
      expect(stats.authorizations).to.deep.equal([]);
    });
  });

  describe('20. duplicate ids in one snapshot', () => {
    const duplicates: RawAppointment[] = [
      { id: 1, start: todayAt(9), patientName: 'First One' },
      { id: '1', start: todayAt(9), patientName: 'Later One' },
      { id: 2, start: todayAt(10), patientName: 'Two' },
      { id: 2, start: todayAt(10), patientName: 'Two Again' },
    ];

    it('should keep the later of two items with one id over the socket (1 and "1" too), counted and logged', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const { el, records } = await on(backend);
      await until(isLive(el), 'live');
      await backend.emit({ appointments: duplicates });
      await until(() => patients(el).includes('Later One'), 'the snapshot is applied');
      expect(patients(el)).to.deep.equal(['Later One', 'Two Again']);
      expect(el.metrics.events.duplicates).to.equal(2);
      expect(recorded(records, 'payload.duplicates').map((r) => [r.items, r.source])).to.deep.equal([[2, 'socket']]);
    });

    it('should keep the later of two items with one id over REST, counted and logged', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      await backend.setRestFault({ body: JSON.stringify({ appointments: duplicates }) });
      const { el, records } = await on(backend);
      await until(() => rows(el).length === 2, 'rows');
      expect(patients(el)).to.deep.equal(['Later One', 'Two Again']);
      expect(el.metrics.events.duplicates).to.equal(2);
      expect(recorded(records, 'payload.duplicates').map((r) => [r.items, r.source])).to.deep.equal([[2, 'rest']]);
    });
  });

  describe('21. a proxy that refuses WebSocket upgrades', () => {
    const proxyFor = (backend: Backend) =>
      executeServerCommand('schedule-backend', { action: 'startUpgradeRefusingProxy', id: backend.id }) as Promise<{ url: string }>;
    const proxyStats = (backend: Backend) =>
      executeServerCommand('schedule-backend', { action: 'upgradeRefusingProxyStats', id: backend.id }) as Promise<{ forwarded: number; refusedUpgrades: number }>;

    it('should go live over long-polling with transports="websocket polling"', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const proxy = await proxyFor(backend);
      const { el } = await mount({ 'server-url': proxy.url, transports: 'websocket polling' });
      await until(() => rows(el).length === 3, 'the REST list through the proxy');
      await until(isLive(el), 'live through the proxy', 10000);
      expect((await backend.stats()).handshakes.map((h) => h.transport)).to.deep.equal(['polling']);
      expect((await proxyStats(backend)).refusedUpgrades, 'WebSocket was tried and refused').to.be.at.least(1);
      await backend.upsert({ id: 'lp', start: todayAt(15), patientName: 'Over Long Polling' });
      await until(() => el.metrics.events.applied === 1, 'a change arrives over the socket (long-polling)');
      await until(() => patients(el).includes('Over Long Polling'), 'and is shown');
    });

    it('should not go live through it with transports="websocket" alone', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const proxy = await proxyFor(backend);
      const { el } = await mount({ 'server-url': proxy.url, transports: 'websocket' });
      await until(() => rows(el).length === 3, 'the REST list through the proxy');
      await until(async () => (await proxyStats(backend)).refusedUpgrades >= 2, 'WebSocket tried and refused, again');
      await realDelay(3000);
      expect(el.connectionState).not.to.equal('live');
      expect((await backend.stats()).handshakes).to.deep.equal([]);
    });
  });
});
