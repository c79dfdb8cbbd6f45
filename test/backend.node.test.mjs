// The reference backend's own behaviour, in Node: REST with ETag/304, the three payload
// forms, the fault switches and the token check. (The browser suite uses it through the
// test-runner plugin; host apps use it through `schedule-dashboard/server`.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { startBackend } from '../demo/server/backend.js';
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
  const b = await backend({ appointments: day, restShape: 'array' });
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
