import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { ScheduleDashboard } from '../src/schedule-dashboard.js';
import {
  Backend,
  badgeText,
  closeBackends,
  isLive,
  dashboardFor,
  errorText,
  patients,
  realDelay,
  rows,
  sampleDay,
  todayAt,
  until,
} from './helpers.js';

const part = (el: ScheduleDashboard, name: string) => el.shadowRoot!.querySelector(`[part="${name}"]`);

describe('<schedule-dashboard>', () => {
  afterEach(closeBackends);

  it('should render the REST schedule before any socket event, then go Connecting… → Live', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = document.createElement('schedule-dashboard');
    el.serverUrl = backend.url;
    el.logLevel = 'silent';
    const states: string[] = [];
    const sources: string[] = [];
    el.addEventListener('schedule-connection-change', (e) => states.push(`${e.detail.previous}→${e.detail.state}`));
    el.addEventListener('schedule-updated', (e) => sources.push(e.detail.source));
    document.body.appendChild(el);
    try {
      await el.updateComplete;
      expect(badgeText(el)).to.equal('Connecting…');
      await until(() => rows(el).length === 3, 'three rows');
      expect(patients(el)).to.deep.equal(['Bruno Keller', 'Alice Martin', 'Chiara Rossi']);
      await until(isLive(el), 'badge Live');
      expect(badgeText(el)).to.match(/^Live · Updated \d{1,2}:\d{2}/);
      expect(states).to.deep.equal(['connecting→live']);
      expect(sources).to.deep.equal(['initial']);
      expect(el.getAttribute('connection-state')).to.equal('live');
      expect(el.matches(':state(live)'), 'the custom state for CSS').to.equal(true);
      expect(el.matches(':state(connecting)')).to.equal(false);
      expect(el.appointments.map((a) => a.id)).to.deep.equal([2, 1, 'c3']);
      expect(Object.isFrozen(el.appointments)).to.equal(true);
      expect((await backend.stats()).restRequests).to.equal(1);
    } finally {
      el.remove();
    }
  });

  it('should replace the list on a snapshot', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend);
    await until(isLive(el), 'live');
    await until(() => rows(el).length === 3, 'rows');
    const updated = oneEvent(el, 'schedule-updated');
    await backend.emit({ appointments: [{ id: 7, start: todayAt(14), patientName: 'Greta Snapshot' }], version: 10 });
    expect((await updated).detail.source).to.equal('socket');
    expect(patients(el)).to.deep.equal(['Greta Snapshot']);
    // An older snapshot is ignored.
    await backend.emit({ appointments: [], version: 3 });
    await backend.emit([{ id: 8, start: todayAt(15), patientName: 'Hugo Array' }]);
    await until(() => patients(el).join() === 'Hugo Array', 'array snapshot applied');
    expect(el.metrics.events.ignored).to.equal(1);
  });

  it('should apply created, updated and deleted changes', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend);
    await until(isLive(el), 'live');
    await until(() => rows(el).length === 3, 'rows');

    await backend.upsert({ id: 4, start: todayAt(7, 45), patientName: 'Dina Early', provider: 'Dr. Osei', status: 'confirmed' });
    await until(() => patients(el)[0] === 'Dina Early', 'created appears first (sorted by start)');
    const live = el.shadowRoot!.querySelector('[aria-live="polite"]')!;
    // The polite announcement says what changed (names as patient-names allows).
    expect(live.textContent).to.equal('Dina Early booked');

    await backend.upsert({ id: 1, start: todayAt(9), patientName: 'Alice Martin', provider: 'Dr. Chen', room: '4', status: 'in-room' });
    await until(() => rows(el).some((r) => r.includes('Alice Martin') && r.includes('In room')), 'updated status shows');

    await backend.remove(2);
    await until(() => !patients(el).includes('Bruno Keller'), 'deleted disappears');
    expect(patients(el)).to.deep.equal(['Dina Early', 'Alice Martin', 'Chiara Rossi']);
    expect((await backend.stats()).restRequests, 'changes need no REST call').to.equal(1);
  });

  it('should drop an appointment moved to another day, and ignore one booked for another day', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend);
    await until(isLive(el), 'live');
    await until(() => rows(el).length === 3, 'rows');
    const nextWeek = new Date(Date.now() + 7 * 86400000).toISOString();
    await backend.upsert({ id: 1, start: nextWeek, patientName: 'Alice Martin' });
    await until(() => !patients(el).includes('Alice Martin'), 'moved away');
    await backend.upsert({ id: 'later', start: nextWeek, patientName: 'Next Week' });
    await until(() => el.metrics.events.received === 2, 'both events arrived');
    expect(patients(el)).to.deep.equal(['Bruno Keller', 'Chiara Rossi']);
    expect(el.metrics.events.ignored).to.equal(1);
  });

  it('should refetch over REST on a bare signal, once for signals arriving together', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend);
    await until(isLive(el), 'live');
    await until(() => rows(el).length === 3, 'rows');
    await backend.setAppointments([{ id: 'n1', start: todayAt(16), patientName: 'Nora Signal' }]);
    await backend.emitMany([{}, {}]);
    await until(() => patients(el).join() === 'Nora Signal', 'refetched list');
    await realDelay(200);
    expect((await backend.stats()).restRequests).to.equal(2);
  });

  it('should show a hostile patient name as text', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">';
    const backend = await Backend.start({ appointments: [{ id: 1, start: todayAt(9), patientName: hostile }] });
    const el = await dashboardFor(backend);
    await until(() => rows(el).length === 1, 'row');
    expect(patients(el)).to.deep.equal([hostile]);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('should show initials or hide names as patient-names says', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend);
    await until(() => rows(el).length === 3, 'rows');
    el.patientNames = 'initials';
    await el.updateComplete;
    expect(patients(el)).to.deep.equal(['B. K.', 'A. M.', 'C. R.']);
    el.setAttribute('patient-names', 'hidden');
    await el.updateComplete;
    expect(patients(el)).to.deep.equal([]);
    expect(rows(el).join(' ')).not.to.contain('Alice');
    expect(rows(el)[0]).to.contain('Dr. Chen');
  });

  it('should format times with Intl in time-zone and locale, and label statuses in words', async () => {
    // 18:05 on today's date in Tokyo (UTC+9, no daylight saving), whatever the time is here:
    // an appointment on another day in the element's time zone is not shown.
    const tokyoToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
    const start = new Date(`${tokyoToday}T18:05:00+09:00`);
    const backend = await Backend.start({
      appointments: [{ id: 1, start: start.toISOString(), patientName: 'Tomoko Tz', status: 'no-show', type: 'X-ray', room: 3 }],
    });
    const el = await fixture<ScheduleDashboard>(
      html`<schedule-dashboard server-url=${backend.url} log-level="silent" time-zone="Asia/Tokyo" locale="en-GB"></schedule-dashboard>`,
    );
    await until(() => rows(el).length === 1, 'row');
    expect(part(el, 'time')!.textContent).to.equal('18:05');
    expect(part(el, 'status')!.textContent).to.equal('No show');
    expect(rows(el)[0]).to.contain('X-ray · Room 3');
    // Seoul shares Tokyo's offset, so the appointment is on today's date there too.
    el.timeZone = 'Asia/Seoul';
    el.locale = 'en-US';
    await el.updateComplete;
    await until(() => part(el, 'time')?.textContent === '6:05\u202fPM' || part(el, 'time')?.textContent === '6:05 PM', 'time in en-US');
  });

  it('should reconnect cleanly to a new server-url at run time', async () => {
    const first = await Backend.start({ appointments: sampleDay() });
    const second = await Backend.start({ appointments: [{ id: 'b', start: todayAt(13), patientName: 'Second Server' }] });
    const el = await dashboardFor(first);
    await until(isLive(el), 'live on the first');
    el.setAttribute('server-url', second.url);
    await until(() => patients(el).join() === 'Second Server', 'list from the second');
    await until(isLive(el), 'live on the second');
    await until(async () => (await first.stats()).clients === 0, 'first server has no client left');
    expect((await second.stats()).clients).to.equal(1);
  });

  it('should fetch on refresh() and resolve when the list is in', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend);
    await until(() => rows(el).length === 3, 'rows');
    await backend.setAppointments([{ id: 'r', start: todayAt(10), patientName: 'Rita Refresh' }]);
    const updated = oneEvent(el, 'schedule-updated');
    await el.refresh();
    expect((await updated).detail.source).to.equal('refresh');
    expect(patients(el)).to.deep.equal(['Rita Refresh']);
  });

  it('should reflect its configuration to attributes and honour hide-badge and the slots', async () => {
    const backend = await Backend.start({ appointments: [] });
    const el = await fixture<ScheduleDashboard>(
      html`<schedule-dashboard server-url=${backend.url} log-level="silent" hide-badge>
        <span slot="empty">Nobody booked</span>
      </schedule-dashboard>`,
    );
    await until(() => part(el, 'empty') !== null, 'empty state');
    expect(part(el, 'badge')).to.equal(null);
    const slot = part(el, 'empty')!.querySelector('slot')!;
    expect(slot.assignedElements()[0].textContent).to.equal('Nobody booked');
    el.pollInterval = 15000;
    el.compact = true;
    await el.updateComplete;
    expect(el.getAttribute('poll-interval')).to.equal('15000');
    expect(el.hasAttribute('compact')).to.equal(true);
    expect(el.getAttribute('namespace')).to.equal('/appointments');
  });

  it('should treat nonsense attribute values as their defaults, without throwing', async () => {
    const uncaught: string[] = [];
    const onError = (e: ErrorEvent) => uncaught.push(String(e.message));
    const onRejection = (e: PromiseRejectionEvent) => uncaught.push(String(e.reason));
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
    try {
      // `transports` also as only unknown names, and as separators alone.
      for (const [pollInterval, transports] of [['abc', ''], ['0', 'carrier-pigeon'], ['-5', ' , ']]) {
        const backend = await Backend.start({ appointments: sampleDay() });
        // Slower than a nonsense request-timeout (NaN, 0) would wait; well within the default 10 s.
        await backend.setRestFault({ delayMs: 300 });
        const el = await fixture<ScheduleDashboard>(html`<schedule-dashboard
          server-url=${backend.url}
          log-level="silent"
          poll-interval=${pollInterval}
          reconnection-attempts="nope"
          request-timeout="NaN"
          namespace=""
          transports=${transports}
          reconnection-delay="100"
          reconnection-delay-max="300"
        ></schedule-dashboard>`);
        const given = `poll-interval="${pollInterval}" transports="${transports}"`;
        await until(isLive(el), `live (${given})`);
        await until(() => rows(el).length === 3, `rows, within the default request-timeout (${given})`);
        expect(errorText(el), given).to.equal('');
        // The default namespace, over the default transport.
        const { handshakes } = await backend.stats();
        expect(handshakes.map((h) => [h.auth.namespace, h.transport]), given).to.deep.equal([['appointments', 'websocket']]);

        await backend.stopSockets();
        await until(() => badgeText(el).startsWith('Reconnecting'), `reconnecting (${given})`);
        expect(badgeText(el), given).to.match(/^Reconnecting \(attempt \d+ of 60\) · updating every 30 s · Updated /);
        el.remove();
      }
    } finally {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    }
    expect(uncaught, 'uncaught errors').to.deep.equal([]);
  });

  it('should be accessible when live, reconnecting and empty', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend);
    await until(isLive(el), 'live');
    await until(() => rows(el).length === 3, 'rows');
    expect(part(el, 'badge')!.getAttribute('role')).to.equal('status');
    await expect(el).to.be.accessible();

    await backend.stopSockets();
    await until(() => badgeText(el).startsWith('Reconnecting'), 'reconnecting');
    await expect(el).to.be.accessible();

    const empty = await Backend.start({ appointments: [] });
    const none = await dashboardFor(empty);
    await until(() => part(none, 'empty') !== null, 'empty');
    expect(part(none, 'empty')!.textContent).to.contain('No appointments today.');
    await expect(none).to.be.accessible();
  });
});
