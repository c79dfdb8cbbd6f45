// Scenario 6, soak: one dashboard left running as on a wall screen, 8 simulated hours in a
// couple of real minutes. The page's clock is Playwright's fake one (page.clock), so the
// minute tick, the polling, the reconnect backoff and the frame waits run on simulated
// time, driven from here; the socket and REST are real (the reference backend on loopback,
// its heartbeat set beyond the run, since a heartbeat on real time would time out on the
// simulated one). 50,000 change events (a day of 200 appointments, each event a status
// change) and 200 drops (the server closes the connection; while the client is away two
// appointments change; it reconnects after Socket.IO's backoff and reconciles over REST).
//
// Reported: the JS heap after a full GC (lib/browser.mjs `collectGarbage`; CDP
// Runtime.getHeapUsage), the page's JS event listeners (Memory.getDOMCounters) and its
// pending timers (page/init.js), after a warm-up and at the end, each after the highlights
// are over; whether the final list equals the server's. Targets: heap growth under 1 %,
// listeners and timers back to their start, equal lists. Reported, not asserted. The quick
// mode runs a short version (2,500 events, 10 drops).
// Beside the heap: whose its growth is, from two heap snapshots (by kind, and the names that
// grew most), and how much of the DOM's growth is the element's own shadow tree (what it shows).
import { fileURLToPath } from 'node:url';
import { collectGarbage } from './lib/browser.mjs';
import { changes, makeAppointments } from './lib/data.mjs';
import { startPageServer } from './lib/page-server.mjs';
import { bytes } from './lib/stats.mjs';

const FULL = { hours: 8, events: 50000, drops: 200, batch: 25 };
const QUICK = { hours: 0.5, events: 2500, drops: 10, batch: 25 };
const DAY_SIZE = 200;

export async function runSoak({ browser, quick }) {
  const plan = quick ? QUICK : FULL;
  const day = makeAppointments(DAY_SIZE);
  // Simulated time starts at 09:00 today (local, as the day's appointments) and ends by 17:00.
  const now = new Date();
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 9).getTime();
  const server = await startPageServer({ appointments: day.map((a) => ({ ...a })), pingInterval: 24 * 3600 * 1000 });
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[soak page] ${error.message}`));
  const cdp = await context.newCDPSession(page);
  const t0 = Date.now();
  try {
    // The fake clock first, then the probes: the probes wrap the fake timers and count them.
    await page.clock.install({ time: start });
    await page.addInitScript({ path: fileURLToPath(new URL('page/init.js', import.meta.url)) });
    await page.goto(`${server.url}/`);
    await until(() => page.evaluate(() => window.bench?.ready === true), 'bench page');

    const state = () => page.evaluate(() => window.bench.soakState());
    /** Runs the simulated clock in `step`s until `test(state)` holds (real time: at most 30 s). */
    const advanceUntil = async (test, what, step = 100) => {
      const end = Date.now() + 30000;
      for (;;) {
        const s = await state();
        if (test(s)) return s;
        if (Date.now() > end) throw new Error(`soak: timed out waiting for ${what} (${JSON.stringify(s)})`);
        await page.clock.runFor(step);
      }
    };

    await page.evaluate(() => window.bench.soakMount());
    await advanceUntil((s) => s.state === 'live' && s.rendered === DAY_SIZE, 'live with the day rendered');

    const series = changes(day.map((a) => ({ ...a })));
    const away = changes(day.map((a) => ({ ...a })).reverse());
    const segments = plan.drops;
    const perSegment = Math.floor(plan.events / segments);
    const segmentMs = (plan.hours * 3600 * 1000) / segments;
    const batches = Math.ceil(perSegment / plan.batch);
    let emitted = 0;
    let received = (await state()).received;

    /** One segment: its events in batches with simulated time between them, then one drop. */
    const segment = async () => {
      for (let b = 0; b < batches; b += 1) {
        const n = Math.min(plan.batch, perSegment - b * plan.batch);
        for (let i = 0; i < n; i += 1) server.backend.upsert(series.next().value);
        emitted += n;
        received += n;
        const expected = received;
        await advanceUntil((s) => s.received >= expected, 'events received', 0);
        await page.clock.runFor(segmentMs / batches);
      }
      const before = await state();
      server.backend.dropClients();
      await advanceUntil((s) => s.state !== 'live', 'the drop seen', 50);
      // Missed while away: recovered by Socket.IO or found by the reconciling fetch.
      for (let i = 0; i < 2; i += 1) {
        const missed = away.next().value;
        server.backend.upsert(missed, { emit: false });
        server.backend.upsert(series.next().value, { emit: false });
      }
      const back = await advanceUntil(
        (s) => s.state === 'live' && s.checks > before.checks,
        'reconnected and reconciled',
        250,
      );
      received = back.received;
    };

    const sample = async () => {
      // The highlights of the last changes run out (4 s), then the heap after a full GC.
      await page.clock.runFor(5000);
      await collectGarbage(page, cdp);
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      const { jsEventListeners, nodes } = await cdp.send('Memory.getDOMCounters');
      const { pendingTimers, openSockets } = await page.evaluate(() => window.bench.probe());
      const shadowNodes = await page.evaluate(() => window.bench.soakShadowNodes());
      return { heapBytes: usedSize, jsEventListeners, nodes, shadowNodes, timers: pendingTimers.length, timerKinds: pendingTimers, openSockets };
    };

    // Warm-up: the first eighth of the run (one simulated hour), so that what fills once is not
    // read as growth: compiled code, and the browser's own bounded records (resource timings of
    // the fetches, layout shifts, animation data of each row highlighted once).
    const warmup = Math.max(1, Math.round(segments / 8));
    for (let k = 0; k < warmup; k += 1) await segment();
    const first = await sample();
    const firstKinds = await heapByKind(cdp);
    const quarters = [first];
    const measured = segments - warmup;
    for (let k = 1; k <= measured; k += 1) {
      await segment();
      if (k % Math.ceil(measured / 4) === 0 && k < measured) quarters.push(await sample());
    }
    const last = await sample();
    const lastKinds = await heapByKind(cdp);
    const finalState = await state();
    const held = await page.evaluate(() => window.bench.soakList());
    const serverList = server.backend.appointments.map((a) => ({ id: String(a.id), start: a.start, status: a.status, updatedAt: a.updatedAt }));
    const key = (list) =>
      JSON.stringify([...list].sort((a, b) => a.id.localeCompare(b.id)).map((a) => [a.id, Date.parse(a.start), a.status, a.updatedAt]));
    const equal = key(held) === key(serverList);
    const growth = (last.heapBytes - first.heapBytes) / first.heapBytes;
    const simulatedH = (await page.evaluate(() => Date.now()) - start) / 3600000;
    const signed = (n) => `${n < 0 ? '−' : '+'}${bytes(Math.abs(n))}`;
    const pct = (x) => `${x < 0 ? '−' : '+'}${Math.abs(x * 100).toFixed(2)} %`;
    return {
      rows: [
        {
          measure: `simulated time, change events emitted, drops (real time ${((Date.now() - t0) / 1000).toFixed(0)} s)`,
          result: `${simulatedH.toFixed(1)} h, ${emitted.toLocaleString('en')} events, ${segments} drops (${finalState.connects} connects, ${finalState.recovered} recovered)`,
        },
        {
          measure: `JS heap after GC, after the warm-up (${(warmup * segmentMs / 3600000).toFixed(1)} h) → at the end`,
          result: `${bytes(first.heapBytes)} → ${bytes(last.heapBytes)} (${pct(growth)})`,
          goal: 'growth < 1 %',
          met: growth < 0.01,
        },
        { measure: 'JS heap after GC: after the warm-up, each quarter, at the end', result: [...quarters, last].map((q) => bytes(q.heapBytes)).join(' → ') },
        {
          // From heap snapshots: what the page's own objects did, apart from the browser's records and compiled code.
          measure: 'heap growth by kind (snapshots): JS objects / compiled code / the browser\'s',
          result: ['js', 'code', 'native'].map((k) => signed(lastKinds[k] - firstKinds[k])).join(' / '),
        },
        {
          // Whose the growth is: DevTools' records of each request (the page is driven over CDP), the
          // resource timing buffer, compiled code, the DOM of what is shown, or the page's own objects.
          measure: 'largest heap growth by name (snapshots; native: the browser\'s, code: V8\'s, js: the page\'s)',
          result: largestGrowth(firstKinds.byName, lastKinds.byName, 6)
            .map(([name, size]) => `${name} ${signed(size)}`)
            .join(', '),
        },
        {
          // The element's shadow tree grows as the day goes on (more rows late, waiting or in the room carry a text).
          measure: "DOM nodes after GC, after the warm-up → at the end (of them in the element's shadow tree)",
          result: `${first.nodes} → ${last.nodes} (${first.shadowNodes} → ${last.shadowNodes})`,
        },
        {
          measure: 'JS event listeners and pending timers, after the warm-up → at the end',
          result: `${first.jsEventListeners} → ${last.jsEventListeners}; ${first.timers} → ${last.timers}`,
          goal: 'back to their start',
          met: last.jsEventListeners === first.jsEventListeners && last.timers === first.timers,
        },
        {
          measure: `final list equal to the server's (${held.length} appointments; reconciles found ${finalState.mismatches} mismatches in ${finalState.checks})`,
          result: equal ? 'equal' : 'different',
          goal: 'equal',
          met: equal,
        },
      ],
      raw: {
        plan,
        warmupSegments: warmup,
        samples: [...quarters, last],
        heapByKind: { first: { ...firstKinds, byName: undefined }, last: { ...lastKinds, byName: undefined } },
        largestGrowth: largestGrowth(firstKinds.byName, lastKinds.byName, 20),
        finalState,
        equal,
        simulatedH,
      },
    };
  } finally {
    await cdp.detach().catch(() => {});
    await context.close();
    await server.close();
  }
}

async function until(test, what, ms = 10000) {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`soak: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Self sizes in a heap snapshot, by kind: `js` (objects, closures, arrays, strings… of the
 * page's scripts), `code` (compiled code, feedback) and `native` (the browser's own objects:
 * DOM, layout, the performance timeline's records).
 */
async function heapByKind(cdp) {
  const chunks = [];
  const collect = ({ chunk }) => chunks.push(chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', collect);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', collect);
  const { snapshot, nodes, strings } = JSON.parse(chunks.join(''));
  const fields = snapshot.meta.node_fields;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = snapshot.meta.node_types[0];
  const out = { js: 0, code: 0, native: 0, byName: {} };
  for (let i = 0; i < nodes.length; i += fields.length) {
    const type = types[nodes[i + typeAt]];
    out[type === 'native' ? 'native' : type === 'code' ? 'code' : 'js'] += nodes[i + sizeAt];
    // By constructor or tag (an element's name is its start tag, attributes and all: cut to its tag).
    const raw = String(strings[nodes[i + nameAt]]);
    const name = `${type === 'native' || type === 'code' ? type : 'js'} ${raw.startsWith('<') ? `${raw.split(/[\s>]/)[0]}>` : raw.slice(0, 48)}`;
    out.byName[name] = (out.byName[name] ?? 0) + nodes[i + sizeAt];
  }
  return out;
}

/** The `n` names whose self size grew most from `first` to `last` (heapByKind's `byName`). */
function largestGrowth(first, last, n) {
  return Object.entries(last)
    .map(([name, size]) => [name, size - (first[name] ?? 0)])
    .sort((a, b) => b[1] - a[1])
    .slice(0, n);
}
