// The reference backend's own behaviour, in Node: REST with ETag/304, the three payload
// forms, the fault switches, the token check, CORS by allow-list and connection state
// recovery; and, on a real Redis (Debian's `redis-server`), two backend processes behind the
// round-robin proxy sharing events, the day and recovered sessions. (The browser suite uses
// it through the test-runner plugin; host apps use it through `schedule-dashboard/server`.)
import { test, after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { createBackend, startBackend } from '../demo/server/backend.js';
import { forkBackend } from '../demo/server/fork-backend.js';
import { startProxy } from '../demo/server/proxy.js';
import { startRedisServer } from '../demo/server/redis-server.js';
import { makeDay, simulate } from '../demo/server/simulator.js';

const started = [];
const clients = [];
after(async () => {
  for (const client of clients) client.close();
  await Promise.all(started.map((b) => b.close()));
});

async function backend(options) {
  const b = await startBackend(options);
  started.push(b);
  return b;
}

function connect(b, options = {}) {
  const client = io(`${b.url}/appointments`, { transports: ['websocket'], reconnection: false, ...options });
  clients.push(client);
  return client;
}

const once = (emitter, event) => new Promise((resolve) => emitter.once(event, resolve));

/** Resolves when `test()` holds (checked every 10 ms); fails after `ms`. */
async function until(test, what, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every payload of the schedule event a client receives (the first argument only). */
function record(client) {
  const received = [];
  client.on('dashboard_schedule_updated', (payload) => received.push(payload));
  return received;
}
const ids = (received) => received.map((p) => p.appointment?.id);
const day = [
  { id: 1, start: '2026-11-22T09:00:00Z', patientName: 'A' },
  { id: 2, start: '2026-11-22T10:00:00Z', patientName: 'B' },
];

test('REST serves the day with an ETag and answers 304 when nothing changed', async () => {
  const b = await backend({ appointments: day, date: '2026-11-22' });
  const first = await fetch(b.restUrl);
  assert.equal(first.status, 200);
  const body = await first.json();
  assert.deepEqual(body.appointments.map((a) => a.id), [1, 2]);
  assert.equal(body.date, '2026-11-22');
  const etag = first.headers.get('etag');
  assert.ok(etag);
  const again = await fetch(b.restUrl, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  b.upsert({ id: 3, start: '2026-11-22T11:00:00Z' }, { emit: false });
  const changed = await fetch(b.restUrl, { headers: { 'If-None-Match': etag } });
  assert.equal(changed.status, 200);
  assert.notEqual(changed.headers.get('etag'), etag);
  assert.equal(b.stats().notModified, 1);
  assert.equal(b.stats().restRequests, 3);
});

test('REST answers CORS preflights and serves arrays when asked', async () => {
  const b = await backend({ appointments: day, restShape: 'array', allowedOrigins: ['http://clinic.test'] });
  const preflight = await fetch(b.restUrl, { method: 'OPTIONS', headers: { Origin: 'http://clinic.test' } });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://clinic.test');
  assert.match(preflight.headers.get('access-control-allow-headers'), /Authorization/);
  const list = await (await fetch(b.restUrl)).json();
  assert.ok(Array.isArray(list));
});

test('socket clients receive snapshots, changes and signals', async () => {
  const b = await backend({ appointments: day });
  const client = connect(b, { auth: { namespace: 'appointments' } });
  await once(client, 'connect');
  const received = [];
  client.on('dashboard_schedule_updated', (payload) => received.push(payload));
  b.setAppointments(day, { emit: 'snapshot' });
  b.upsert({ id: 2, start: '2026-11-22T10:00:00Z', status: 'checked-in' });
  b.upsert({ id: 4, start: '2026-11-22T12:00:00Z' });
  b.remove(1);
  b.setAppointments(b.appointments, { emit: 'signal' });
  while (received.length < 5) await once(client, 'dashboard_schedule_updated');
  assert.deepEqual(received[0].appointments.map((a) => a.id), [1, 2]);
  assert.equal(typeof received[0].version, 'number');
  assert.deepEqual(received.slice(1, 4).map((p) => p.action), ['updated', 'created', 'deleted']);
  assert.deepEqual(received[3].appointment, { id: 1 });
  assert.deepEqual(Object.keys(received[4]), ['emittedAt']);
  assert.equal(b.stats().handshakes[0].transport, 'websocket');
  assert.deepEqual(b.stats().handshakes[0].auth, { namespace: 'appointments' });
});

test('fault switches: REST errors, hangs and slow answers', async () => {
  const b = await backend({ appointments: day });
  b.setRestFault({ status: 503, body: '<h1>down</h1>', contentType: 'text/html' });
  const failing = await fetch(b.restUrl);
  assert.equal(failing.status, 503);
  assert.equal(await failing.text(), '<h1>down</h1>');
  b.setRestFault({ hang: true });
  await assert.rejects(fetch(b.restUrl, { signal: AbortSignal.timeout(200) }));
  b.setRestFault({ delayMs: 150 });
  const started = Date.now();
  assert.equal((await fetch(b.restUrl)).status, 200);
  assert.ok(Date.now() - started >= 140);
  b.setRestFault(null);
  assert.equal((await fetch(b.restUrl)).status, 200);
});

test('stopping the socket server closes connections and refuses handshakes until started', async () => {
  const b = await backend({ appointments: day });
  const client = connect(b);
  await once(client, 'connect');
  const dropped = once(client, 'disconnect');
  b.stopSockets();
  assert.equal(await dropped, 'transport close');
  const refused = connect(b);
  await once(refused, 'connect_error');
  assert.ok(b.stats().refusedHandshakes >= 1);
  b.startSockets();
  const back = connect(b);
  await once(back, 'connect');
  // REST stays up while the socket server is down.
  assert.equal((await fetch(b.restUrl)).status, 200);
});

test('dropClients closes connections so that clients reconnect', async () => {
  const b = await backend({ appointments: day });
  const client = connect(b, { reconnection: true, reconnectionDelay: 50 });
  await once(client, 'connect');
  b.dropClients();
  assert.equal(await once(client, 'disconnect'), 'transport close');
  await once(client, 'connect');
});

test('a required token is checked on the handshake and on REST', async () => {
  const b = await backend({ appointments: day, requireToken: 't0k' });
  assert.equal((await fetch(b.restUrl)).status, 401);
  assert.equal((await fetch(b.restUrl, { headers: { Authorization: 'Bearer t0k' } })).status, 200);
  const refused = connect(b, { auth: { token: 'nope' } });
  const error = await once(refused, 'connect_error');
  assert.equal(error.message, 'unauthorized');
  assert.equal(refused.active, false);
  const accepted = connect(b, { auth: { token: 't0k' } });
  await once(accepted, 'connect');
});

test('a socket token is checked on the handshake only: REST answers without it', async () => {
  const b = await backend({ appointments: day, socketToken: 's0ck' });
  assert.equal((await fetch(b.restUrl)).status, 200);
  const refused = connect(b, { auth: { token: 'nope' } });
  const error = await once(refused, 'connect_error');
  assert.equal(error.message, 'unauthorized');
  assert.equal(refused.active, false);
  const accepted = connect(b, { auth: { token: 's0ck' } });
  await once(accepted, 'connect');
  assert.deepEqual(b.stats().handshakes.map((h) => h.auth.token), ['nope', 's0ck']);
  assert.equal(b.stats().connections, 1);
});

test('the simulator makes a realistic day and changes it', async () => {
  const list = makeDay({ timeZone: 'Europe/Berlin', now: new Date('2026-11-22T06:00:00Z') });
  assert.ok(list.length >= 35 && list.length <= 45);
  assert.equal(new Set(list.map((a) => a.provider)).size, 4);
  const berlinHours = list.map((a) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hourCycle: 'h23' }).format(new Date(a.start))));
  assert.ok(Math.min(...berlinHours) >= 8 && Math.max(...berlinHours) <= 17, 'office hours in the practice time zone');
  const b = await backend();
  const sim = simulate(b, { timeZone: 'UTC', everyMs: 60000 });
  const before = b.version;
  for (let i = 0; i < 12; i += 1) sim.step();
  sim.stop();
  assert.ok(b.version > before);
});

test('kill closes the port (REST and socket) and revive opens it again', async () => {
  const b = await backend({ appointments: day });
  const client = connect(b, { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100 });
  await once(client, 'connect');
  const dropped = once(client, 'disconnect');
  await b.kill();
  assert.equal(await dropped, 'transport close');
  await assert.rejects(fetch(b.restUrl));
  await b.revive();
  await once(client, 'connect');
  assert.equal((await fetch(b.restUrl)).status, 200);
});

test('CORS: an allowed origin is echoed with credentials, a foreign one never (REST and Socket.IO)', async () => {
  const b = await backend({ appointments: day, allowedOrigins: ['http://clinic.test'] });
  const get = (origin, init = {}) => fetch(b.restUrl, { ...init, headers: { Origin: origin, ...init.headers } });

  const allowed = await get('http://clinic.test');
  assert.equal(allowed.headers.get('access-control-allow-origin'), 'http://clinic.test');
  assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
  assert.equal(allowed.headers.get('access-control-expose-headers'), 'ETag');
  const foreign = await get('http://evil.test');
  assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  assert.equal(foreign.headers.get('access-control-allow-credentials'), null);
  assert.match(foreign.headers.get('vary'), /Origin/);
  const foreignPreflight = await get('http://evil.test', { method: 'OPTIONS' });
  assert.equal(foreignPreflight.status, 403);
  assert.equal(foreignPreflight.headers.get('access-control-allow-origin'), null);
  // The backend's own origin is always allowed.
  const same = await get(b.url);
  assert.equal(same.headers.get('access-control-allow-origin'), b.url);

  // Socket.IO long-polling: the same list.
  const polling = (origin) => fetch(`${b.url}/socket.io/?EIO=4&transport=polling`, { headers: { Origin: origin } });
  const pollAllowed = await polling('http://clinic.test');
  assert.equal(pollAllowed.status, 200);
  assert.equal(pollAllowed.headers.get('access-control-allow-origin'), 'http://clinic.test');
  const pollForeign = await polling('http://evil.test');
  assert.notEqual(pollForeign.status, 200);
  assert.equal(pollForeign.headers.get('access-control-allow-origin'), null);
  // WebSocket upgrades are not subject to CORS in browsers: the origin is checked on the handshake.
  const refused = connect(b, { extraHeaders: { origin: 'http://evil.test' } });
  await once(refused, 'connect_error');
  const accepted = connect(b, { extraHeaders: { origin: 'http://clinic.test' } });
  await once(accepted, 'connect');
  assert.equal(b.stats().refusedOrigins, 2);

  // By default, same origin only.
  const closed = await backend({ appointments: day });
  const response = await fetch(closed.restUrl, { headers: { Origin: 'http://clinic.test' } });
  assert.equal(response.headers.get('access-control-allow-origin'), null);
  assert.throws(() => createBackend({ allowedOrigins: ['*'] }), /not allowed with credentials/);
});

test('connection state recovery: after a short outage the client recovers and gets what it missed', async () => {
  const b = await backend({ appointments: day });
  const client = connect(b, { reconnection: true, reconnectionDelay: 20, reconnectionDelayMax: 50 });
  await once(client, 'connect');
  assert.equal(client.recovered, false);
  const received = record(client);
  b.upsert({ id: 'before', start: '2026-11-22T08:00:00Z' });
  await until(() => ids(received).includes('before'), 'the first event');
  const dropped = once(client, 'disconnect');
  b.stopSockets();
  await dropped;
  b.upsert({ id: 'meanwhile', start: '2026-11-22T08:30:00Z' });
  const back = once(client, 'connect');
  b.startSockets();
  await back;
  assert.equal(client.recovered, true);
  await until(() => ids(received).includes('meanwhile'), 'the missed event, replayed');
  assert.equal(b.stats().recoveredConnections, 1);
  // Socket.IO's session fields are not the page's auth.
  assert.deepEqual(b.stats().handshakes.at(-1), { auth: {}, transport: 'websocket', path: '/socket.io', recovered: true });
});

test('the token middleware runs again on recovery: a refused token does not ride a recovered session', async () => {
  const b = await backend({ appointments: day, socketToken: 'ok' });
  const client = connect(b, { auth: { token: 'ok' }, reconnection: true, reconnectionDelay: 20, reconnectionDelayMax: 50 });
  await once(client, 'connect');
  const received = record(client);
  b.upsert({ id: 'before', start: '2026-11-22T08:00:00Z' });
  await until(() => ids(received).includes('before'), 'the first event');
  const dropped = once(client, 'disconnect');
  b.stopSockets();
  await dropped;
  client.auth = { token: 'revoked' };
  const refused = once(client, 'connect_error');
  b.startSockets();
  assert.equal((await refused).message, 'unauthorized');
  assert.deepEqual(b.stats().handshakes.at(-1).auth, { token: 'revoked' });
  assert.equal(b.stats().handshakes.at(-1).recovered, true, 'the session was found, and the middleware still ran');
  assert.equal(b.stats().connections, 1);
});

describe('on Redis: two backend processes behind the round-robin proxy', () => {
  /** @type {Awaited<ReturnType<typeof startRedisServer>>} */
  let redis;
  /** @type {Awaited<ReturnType<typeof forkBackend>>} */
  let b;
  const processes = [];
  const proxies = [];
  const fork = async () => {
    const p = await forkBackend({ redisUrl: redis.url });
    processes.push(p);
    return p;
  };
  const proxy = async (upstreams) => {
    const p = await startProxy({ upstreams });
    proxies.push(p);
    return p;
  };
  const rest = async (p, headers = {}) => {
    const response = await fetch(`${p.url}/api/appointments/today`, { headers });
    return { status: response.status, etag: response.headers.get('etag'), body: response.status === 200 ? await response.json() : undefined };
  };
  const socketTo = (url, options = {}) => {
    const client = io(`${url}/appointments`, { transports: ['websocket'], reconnectionDelay: 20, reconnectionDelayMax: 50, ...options });
    clients.push(client);
    return client;
  };

  before(async () => {
    redis = await startRedisServer();
    b = await fork();
  });
  after(async () => {
    for (const client of clients) client.close();
    await Promise.all(proxies.map((p) => p.close()));
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await redis?.stop();
  });

  /**
   * A fresh process A and a client connected to it through a fresh proxy ([A, B]: its first
   * connection goes to A), which has received one event (recovery needs an offset).
   */
  async function clientOnA() {
    const a = await fork();
    const lb = await proxy([a.port, b.port]);
    const client = socketTo(lb.url);
    await once(client, 'connect');
    assert.equal((await a.call('stats')).clients, 1, 'the client is on process A');
    const received = record(client);
    // An observer on B: when it has an event, that event is in the Redis stream.
    const observer = socketTo(b.url);
    await once(observer, 'connect');
    const observed = record(observer);
    await b.call('upsert', { appointment: { id: 'first', start: '2026-11-22T08:00:00Z' } });
    await until(() => ids(received).includes('first'), 'the first event on A');
    return { a, lb, client, received, observed };
  }

  test('an event emitted through one process reaches a client of another', async () => {
    const a = await fork();
    const client = socketTo(a.url);
    await once(client, 'connect');
    const received = record(client);
    await b.call('upsert', { appointment: { id: 'from-b', start: '2026-11-22T09:00:00Z' } });
    await until(() => ids(received).includes('from-b'), 'the change emitted through B, on A');
    await b.call('emit', { payload: { date: '2026-11-22' } });
    await until(() => received.some((p) => p.date === '2026-11-22'), 'the signal emitted through B, on A');
    assert.equal(received[0].action, 'created');
    await a.kill('SIGKILL');
  });

  test('REST on either process answers the same day and ETag after a change made through either', async () => {
    const a = await fork();
    await a.call('setAppointments', { appointments: day });
    const first = [await rest(a), await rest(b)];
    assert.deepEqual(first[0], first[1]);
    assert.deepEqual(first[0].body.appointments.map((x) => x.id), [1, 2]);

    await a.call('upsert', { appointment: { id: 3, start: '2026-11-22T11:00:00Z' } });
    const second = [await rest(a), await rest(b)];
    assert.deepEqual(second[0], second[1]);
    assert.notEqual(second[0].etag, first[0].etag);
    assert.equal(second[0].body.version, first[0].body.version + 1);
    assert.deepEqual(second[0].body.appointments.map((x) => x.id), [1, 2, 3]);
    // An ETag from one process is good on the other.
    assert.equal((await rest(b, { 'If-None-Match': second[0].etag })).status, 304);

    await b.call('remove', { appointmentId: 1 });
    await b.call('setDate', { date: '2026-11-22' });
    const third = [await rest(a), await rest(b)];
    assert.deepEqual(third[0], third[1]);
    assert.deepEqual(third[0].body.appointments.map((x) => x.id), [2, 3]);
    assert.equal(third[0].body.date, '2026-11-22');
    assert.equal((await rest(a, { 'If-None-Match': second[0].etag })).status, 200);
    assert.equal((await rest(a, { 'If-None-Match': third[0].etag })).status, 304);
    assert.deepEqual(await a.call('snapshot'), { ...third[0].body, etag: third[0].etag });
    await a.kill('SIGKILL');
  });

  test('SIGTERM: the client reconnects through the proxy to the other process, recovered, with what it missed', async () => {
    const { a, lb, client, received, observed } = await clientOnA();
    lb.pause();
    const dropped = once(client, 'disconnect');
    assert.deepEqual(await a.kill('SIGTERM'), { code: 0, signal: null }, 'a graceful exit');
    assert.equal(await dropped, 'transport close');
    await b.call('upsert', { appointment: { id: 'meanwhile', start: '2026-11-22T08:30:00Z' } });
    await until(() => ids(observed).includes('meanwhile'), 'the missed event is in the stream');
    assert.ok(!ids(received).includes('meanwhile'));
    const before = await b.call('stats');
    const back = once(client, 'connect');
    lb.resume();
    await back;
    assert.equal(client.recovered, true);
    await until(() => ids(received).includes('meanwhile'), 'the missed event, replayed on B');
    const after = await b.call('stats');
    assert.equal(after.recoveredConnections, before.recoveredConnections + 1, 'recovered on B');
    assert.equal(after.handshakes.length, before.handshakes.length + 1, 'the middleware ran on recovery');
    assert.equal(after.handshakes.at(-1).recovered, true);
  });

  test('SIGKILL: the client reconnects through the proxy to the other process, not recovered', async () => {
    const { a, lb, client, received, observed } = await clientOnA();
    lb.pause();
    const dropped = once(client, 'disconnect');
    assert.deepEqual(await a.kill('SIGKILL'), { code: null, signal: 'SIGKILL' });
    await dropped;
    await b.call('upsert', { appointment: { id: 'meanwhile', start: '2026-11-22T08:30:00Z' } });
    await until(() => ids(observed).includes('meanwhile'), 'the missed event is in the stream');
    const before = await b.call('stats');
    const back = once(client, 'connect');
    lb.resume();
    await back;
    assert.equal(client.recovered, false, 'a killed process persisted no session');
    const after = await b.call('stats');
    assert.equal(after.connections, before.connections + 1, 'on B');
    assert.equal(after.recoveredConnections, before.recoveredConnections);
    // Events reach it again; the one it missed never comes (the element's REST reconcile repairs that).
    await b.call('upsert', { appointment: { id: 'after', start: '2026-11-22T09:30:00Z' } });
    await until(() => ids(received).includes('after'), 'a new event');
    assert.deepEqual(ids(received), ['first', 'after']);
  });
});
