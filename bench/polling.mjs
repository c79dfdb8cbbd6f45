// Scenario 5, polling load: N dashboards in fallback for 5 minutes, against the
// reference backend's REST route, with and without ETag/304. Time is simulated: the
// requests the N clients would make in 5 minutes are issued in their time order without
// waiting, and the schedule changes once a minute in between. What is counted does not
// depend on wall-clock time: requests, their answers and the bytes of those answers.
//
// The request pattern is the element's in fallback: one GET every poll-interval (30 s),
// `Accept: application/json`, and `If-None-Match` with the last ETag once it has one
// (without ETag: never). Clients' polls are spread evenly over the 30 s, as dashboards
// that lost their socket at different moments would be. Same origin, so no CORS
// preflight (across origins Chromium would add one OPTIONS per client per 10 minutes,
// the backend's Access-Control-Max-Age). Bytes are those of each response as sent on
// the wire: status line, headers and body; the requests' own bytes are not counted.
import { Agent, get } from 'node:http';
import { startBackend } from '../demo/server/backend.js';
import { changes, makeAppointments } from './lib/data.mjs';
import { bytes, ratio } from './lib/stats.mjs';

const MINUTES = 5;
const POLL_MS = 30000;
const DAY_SIZE = 100;
const CONCURRENCY = 32;

/**
 * One GET; resolves with its status, ETag and size on the wire. The size is what the
 * connection read while this request had it (keep-alive connections serve one request
 * at a time): status line, headers, body and its chunked framing.
 */
function poll(url, agent, etag) {
  const headers = { Accept: 'application/json', ...(etag && { 'If-None-Match': etag }) };
  return new Promise((resolve, reject) => {
    let socket;
    let readBefore = 0;
    const req = get(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, etag: res.headers.etag, bytes: socket.bytesRead - readBefore }));
    });
    req.on('socket', (s) => {
      socket = s;
      readBefore = s.bytesRead;
    });
    req.on('error', reject);
  });
}

/** Runs `tasks` (functions returning promises), at most `limit` at a time. */
async function pool(tasks, limit) {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

async function simulate(backend, n, useEtag) {
  const day = makeAppointments(DAY_SIZE);
  backend.setAppointments(day.map((a) => ({ ...a })));
  const series = changes(day);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

  // The 5 minutes as a timeline: every client's polls and one change a minute.
  const timeline = [];
  for (let c = 0; c < n; c += 1) {
    const phase = ((c + 0.5) / n) * POLL_MS;
    for (let t = phase; t < MINUTES * 60000; t += POLL_MS) timeline.push({ t, client: c });
  }
  for (let m = 0; m < MINUTES; m += 1) timeline.push({ t: m * 60000 + 20000, change: true });
  timeline.sort((a, b) => a.t - b.t);

  const etags = new Array(n);
  const totals = { requests: 0, notModified: 0, bytes: 0 };
  let batch = [];
  const flush = async () => {
    await pool(batch, CONCURRENCY);
    batch = [];
  };
  // Requests run concurrently within a 30 s window (one per client at most) and the
  // windows one after another, so that each client's next poll carries the ETag its
  // previous one got.
  let windowEnd = POLL_MS;
  for (const event of timeline) {
    if (event.t >= windowEnd) {
      await flush();
      windowEnd += POLL_MS;
    }
    if (event.change) {
      // Polls before the change must see the old day: finish them first.
      await flush();
      backend.upsert(series.next().value, { emit: false });
      continue;
    }
    batch.push(async () => {
      const answer = await poll(backend.restUrl, agent, useEtag ? etags[event.client] : undefined);
      if (answer.status !== 200 && answer.status !== 304) throw new Error(`HTTP ${answer.status}`);
      if (answer.etag) etags[event.client] = answer.etag;
      totals.requests += 1;
      totals.bytes += answer.bytes;
      if (answer.status === 304) totals.notModified += 1;
    });
  }
  await flush();
  agent.destroy();
  return totals;
}

export async function runPolling({ quick }) {
  const sizes = quick ? [20] : [100, 500, 1000];
  const backend = await startBackend();
  const rows = [];
  const raw = [];
  try {
    for (const n of sizes) {
      const withEtag = await simulate(backend, n, true);
      const without = await simulate(backend, n, false);
      raw.push({ n, minutes: MINUTES, daySize: DAY_SIZE, withEtag, without });
      const perMin = (x) => x / MINUTES;
      rows.push(
        {
          measure: `N=${n}: requests per minute (304 share with ETag)`,
          result: `${perMin(withEtag.requests)} (${Math.round((100 * withEtag.notModified) / withEtag.requests)} % 304)`,
          baseline: String(perMin(without.requests)),
          ratio: ratio(withEtag.requests, without.requests),
        },
        {
          measure: `N=${n}: response bytes per minute, with ETag vs without`,
          result: bytes(perMin(withEtag.bytes)),
          baseline: bytes(perMin(without.bytes)),
          ratio: ratio(withEtag.bytes, without.bytes),
        },
      );
    }
  } finally {
    await backend.close();
  }
  return { rows, raw };
}
