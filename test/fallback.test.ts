import { expect, fixture, html } from '@open-wc/testing';
import sinon from 'sinon';
import type { Socket } from 'socket.io-client';
import { resolveConfig } from '../src/config.js';
import { leaseSocket } from '../src/connection/socket.js';
import type { ScheduleDashboard, ScheduleErrorDetail } from '../src/schedule-dashboard.js';
import {
  Backend,
  badgeText,
  closeBackends,
  isLive,
  dashboardFor,
  errorText,
  patients,
  QUICK,
  realDelay,
  requests,
  rows,
  sampleDay,
  todayAt,
  until,
} from './helpers.js';

/**
 * Runs `check` on the socket the element uses: the shared registry hands the same
 * socket to anyone who asks with the element's settings (no private field is read).
 */
async function withSocketOf(el: ScheduleDashboard, check: (socket: Socket) => void | Promise<void>) {
  const lease = leaseSocket(resolveConfig(el, () => {}).socket, async () => undefined);
  try {
    await check(lease.socket);
  } finally {
    lease.release();
  }
}

describe('fallback polling', () => {
  let clock: sinon.SinonFakeTimers | undefined;

  afterEach(async () => {
    clock?.restore();
    clock = undefined;
    sinon.restore();
    await closeBackends();
  });

  it('should fetch at once when the socket drops, poll every poll-interval, and stop with one reconciling fetch when it is back', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    // The shortest poll-interval there is (README, "Attributes and properties": 1 s).
    const el = await dashboardFor(backend, { pollInterval: 1000 });
    await until(isLive(el), 'live');
    await until(async () => (await requests(backend)) === 1, 'initial fetch');
    const updates: string[] = [];
    el.addEventListener('schedule-updated', (e) => updates.push(e.detail.source));

    await backend.stopSockets();
    // The very first fallback fetch starts at once, well before the first poll interval.
    await until(async () => (await requests(backend)) === 2, 'immediate fallback fetch', 900);
    await until(() => badgeText(el).startsWith('Reconnecting (attempt'), 'badge reconnecting');
    expect(badgeText(el)).to.match(/^Reconnecting \(attempt \d+ of 60\) · updating every 1 s/);
    expect(el.connectionState).to.equal('reconnecting');
    await until(async () => (await requests(backend)) >= 4, 'two more polls', 4000);

    // The server changes while the socket is down: polls pick it up.
    await backend.upsert({ id: 9, start: todayAt(11), patientName: 'Dora Polled', status: 'scheduled' }, false);
    await until(() => patients(el).includes('Dora Polled'), 'poll shows the new appointment');
    expect(updates).to.include('poll');

    await backend.startSockets();
    await until(isLive(el), 'live again');
    await until(() => el.metrics.consistency.checks === 1, 'reconciling fetch');
    const afterReconnect = await requests(backend);
    // Three whole intervals without a fetch: polling has stopped.
    await realDelay(3 * 600 + 200);
    expect(await requests(backend)).to.equal(afterReconnect);
    expect(el.metrics.fallback.activeSince).to.equal(null);
  });

  it('should poll every 30 s by default (fake clock), and stop once the socket is back', async () => {
    // A long heartbeat, so that jumping the fake clock does not time out the new connection.
    const backend = await Backend.start({ appointments: sampleDay(), pingInterval: 600000 });
    const el = await dashboardFor(backend);
    await until(isLive(el), 'live');
    await until(async () => (await requests(backend)) === 1, 'initial fetch');
    clock = sinon.useFakeTimers({
      now: Date.now(),
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
      shouldClearNativeTimers: true,
    });

    await backend.stopSockets();
    await until(async () => (await requests(backend)) === 2, 'immediate fallback fetch');
    await until(() => badgeText(el).includes('updating every 30 s'), 'badge says how often it polls');

    await clock.tickAsync(29000);
    await realDelay(200);
    expect(await requests(backend)).to.equal(2);
    await clock.tickAsync(1000);
    await until(async () => (await requests(backend)) === 3, 'poll at 30 s');
    await clock.tickAsync(30000);
    await until(async () => (await requests(backend)) === 4, 'poll at 60 s');

    await backend.startSockets();
    await until(isLive(el), 'live again');
    // The reconciling fetch leaves within reconnection-delay (a random spread, on the fake clock).
    await clock.tickAsync(QUICK.reconnectionDelay);
    await until(async () => (await requests(backend)) === 5, 'one reconciling fetch');
    await clock.tickAsync(3 * 30000);
    await realDelay(300);
    expect(await requests(backend)).to.equal(5);
  });

  it('should open the socket with the options of the contract', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await fixture<ScheduleDashboard>(
      html`<schedule-dashboard server-url=${backend.url} log-level="silent"></schedule-dashboard>`,
    );
    await until(isLive(el), 'live');
    await withSocketOf(el, (socket) => {
      expect(socket.connected, 'the element’s own, live socket').to.equal(true);
      expect((socket as unknown as { nsp: string }).nsp).to.equal('/appointments');
      const opts = socket.io.opts;
      expect(opts.path).to.equal('/socket.io');
      expect(opts.transports).to.deep.equal(['websocket']);
      expect(opts.autoConnect).to.equal(true);
      expect(opts.reconnection).to.equal(true);
      expect(opts.reconnectionDelay).to.equal(1000);
      expect(opts.reconnectionDelayMax).to.equal(5000);
      expect(opts.reconnectionAttempts).to.equal(60);
      expect(opts.withCredentials).to.equal(false);
    });
    // What the server saw: the auth object and a websocket from the first packet.
    const { handshakes } = await backend.stats();
    expect(handshakes).to.have.length(1);
    expect(handshakes[0].auth).to.deep.equal({ namespace: 'appointments' });
    expect(handshakes[0].transport).to.equal('websocket');
  });

  it('should send the auth token in the handshake and as a bearer header', async () => {
    const backend = await Backend.start({ appointments: sampleDay(), requireToken: 's3cret' });
    const el = await fixture<ScheduleDashboard>(
      html`<schedule-dashboard server-url=${backend.url} log-level="silent" .authToken=${() => Promise.resolve('s3cret')}></schedule-dashboard>`,
    );
    await until(isLive(el), 'live');
    await until(() => rows(el).length === 3, 'rows');
    const stats = await backend.stats();
    expect(stats.handshakes[0].auth).to.deep.equal({ namespace: 'appointments', token: 's3cret' });
    expect(stats.authorizations).to.deep.equal(['Bearer s3cret']);
    expect(el.getAttributeNames().join(' ')).not.to.contain('token');
  });

  it('should show Sign-in required when the server refuses the credentials, and resume with a new token', async () => {
    const backend = await Backend.start({ appointments: sampleDay(), requireToken: 'good' });
    const errors: string[] = [];
    const el = await dashboardFor(backend, { extra: { authToken: 'bad' } });
    el.addEventListener('schedule-error', (e) => errors.push(e.detail.kind));
    await until(() => badgeText(el).startsWith('Sign-in required'), 'sign-in required');
    expect(el.connectionState).to.equal('unauthorized');
    const before = await requests(backend);
    await realDelay(500);
    expect(await requests(backend), 'no polling while unauthorized').to.equal(before);

    el.authToken = 'good';
    await until(isLive(el), 'live with the new token');
    await until(() => rows(el).length === 3, 'rows');
    expect(errors).to.include('auth');
  });

  it('should show Sign-in required when only the handshake is refused (REST answering), with no polling and no socket retries, and go live with a new token', async () => {
    // The socket side checks a token; REST answers without one.
    const backend = await Backend.start({ appointments: sampleDay(), socketToken: 'good' });
    const errors: ScheduleErrorDetail[] = [];
    // Listening from before insertion: the refusal can come before the first render is done.
    const el = await fixture<ScheduleDashboard>(html`<schedule-dashboard
      server-url=${backend.url}
      log-level="silent"
      poll-interval="1000"
      reconnection-delay="100"
      reconnection-delay-max="300"
      .authToken=${'bad'}
      @schedule-error=${(e: CustomEvent<ScheduleErrorDetail>) => errors.push(e.detail)}
    ></schedule-dashboard>`);
    await until(() => badgeText(el).startsWith('Sign-in required'), 'sign-in required');
    expect(el.connectionState).to.equal('unauthorized');
    await until(() => el.getAttribute('connection-state') === 'unauthorized', 'the attribute follows');
    expect(errors.map((e) => e.kind)).to.deep.equal(['auth']);
    // REST still works: the list came over it, with the same token.
    await until(() => rows(el).length === 3, 'rows over REST');
    const quiet = await backend.stats();
    expect(quiet.authorizations).to.deep.equal(['Bearer bad']);
    expect(quiet.handshakes.map((h) => h.auth.token), 'one handshake, refused').to.deep.equal(['bad']);
    expect(quiet.connections).to.equal(0);

    // Three poll intervals, and ten of Socket.IO's longest retry delays.
    await realDelay(3200);
    const later = await backend.stats();
    expect(later.restRequests, 'no polling while unauthorized').to.equal(quiet.restRequests);
    expect(later.handshakes.length + later.refusedHandshakes, 'no socket retries').to.equal(quiet.handshakes.length + quiet.refusedHandshakes);
    expect(el.connectionState).to.equal('unauthorized');
    expect(errors).to.have.length(1);

    el.authToken = 'good';
    await until(isLive(el), 'live with the new token');
    const { handshakes, connections } = await backend.stats();
    expect(handshakes.at(-1)!.auth).to.deep.equal({ namespace: 'appointments', token: 'good' });
    expect(connections).to.equal(1);
    await until(() => errorText(el) === '', '"Sign-in required." is gone');
    expect(rows(el)).to.have.length(3);
  });

  it('should keep polling after Socket.IO gives up, and go live again on reconnect()', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend, { reconnectionAttempts: 2, pollInterval: 1000 });
    await until(isLive(el), 'live');
    await backend.stopSockets();
    await until(() => el.connectionState === 'polling', 'polling state', 8000);
    await el.updateComplete;
    expect(badgeText(el)).to.match(/^Live updates unavailable · updating every 1 s/);
    const polled = await requests(backend);
    await until(async () => (await requests(backend)) > polled + 1, 'polling goes on');

    await backend.startSockets();
    el.reconnect();
    await until(isLive(el), 'live after reconnect()');
  });

  it('should close the socket and every timer when removed, and start over when put back', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend, { pollInterval: 300 });
    await until(isLive(el), 'live');
    await backend.stopSockets();
    await until(() => el.connectionState === 'reconnecting', 'reconnecting');
    await backend.startSockets();
    await until(isLive(el), 'live');
    await backend.stopSockets();
    await until(() => el.connectionState === 'reconnecting', 'reconnecting again');

    const parent = el.parentElement!;
    el.remove();
    await realDelay(100);
    const after = await requests(backend);
    await backend.startSockets();
    await realDelay(1200);
    const stats = await backend.stats();
    expect(stats.restRequests, 'no poll after removal').to.equal(after);
    expect(stats.clients, 'no socket after removal').to.equal(0);

    parent.appendChild(el);
    await until(isLive(el), 'live after re-insertion');
    await until(async () => (await backend.stats()).clients === 1, 'one connection');
    expect(rows(el)).to.have.length(3);
  });

  it('should keep the last good schedule and show the error when REST fails', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend, { pollInterval: 300 });
    await until(() => rows(el).length === 3, 'rows');
    const errors: Array<{ kind: string; status?: number }> = [];
    el.addEventListener('schedule-error', (e) => errors.push(e.detail));

    await backend.setRestFault({ status: 500, body: '<html>Internal error</html>', contentType: 'text/html' });
    await backend.stopSockets();
    await until(() => errorText(el) !== '', 'error shown');
    expect(errorText(el)).to.contain('HTTP 500');
    expect(errorText(el)).to.contain('Showing the last known schedule');
    expect(rows(el)).to.have.length(3);
    expect(errors[0].kind).to.equal('fetch');
    expect(errors[0].status).to.equal(500);

    await backend.setRestFault({ body: 'not json at all' });
    const failures = el.metrics.fetch.errors;
    await until(() => el.metrics.fetch.errors > failures, 'garbage refused');
    expect(rows(el)).to.have.length(3);

    await backend.setRestFault(null);
    await until(() => errorText(el) === '', 'error cleared by the next good poll');
    expect(rows(el)).to.have.length(3);
  });

  it('should abort a REST request that hangs after request-timeout and keep what it shows', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const el = await dashboardFor(backend);
    el.requestTimeout = 300;
    await until(() => rows(el).length === 3, 'rows');
    await backend.setRestFault({ hang: true });
    const failed = el.refresh();
    await until(() => errorText(el).includes('no answer in time'), 'timeout shown', 3000);
    await failed;
    expect(rows(el)).to.have.length(3);
    await backend.setRestFault(null);
    await el.refresh();
    expect(errorText(el)).to.equal('');
  });

  it('should show the error state when the first load fails', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    await backend.setRestFault({ status: 503 });
    const el = await dashboardFor(backend);
    await until(() => errorText(el).includes('HTTP 503'), 'error shown');
    expect(rows(el)).to.have.length(0);
    expect(el.shadowRoot!.querySelector('.loading')).to.equal(null);
  });

  it('should share one Manager between elements on the same server', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const a = await dashboardFor(backend);
    const b = await dashboardFor(backend);
    await until(() => isLive(a)() && isLive(b)(), 'both live');
    expect((await backend.stats()).clients, 'one WebSocket for both').to.equal(1);
    a.remove();
    await realDelay(200);
    expect(b.connectionState).to.equal('live');
    await backend.emit([{ id: 'x', start: todayAt(12), patientName: 'Still Here' }]);
    await until(() => patients(b).join() === 'Still Here', 'b still receives events');
  });
});
