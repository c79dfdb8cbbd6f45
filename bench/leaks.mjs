// Scenario 3, leaks: create → connect → remove cycles of the element against the
// reference backend (REST + Socket.IO, a day of 40 appointments). Each cycle waits for
// the socket to be live and the day rendered, then removes the element; a dashboard
// that forgets to close its socket, clear a timer or drop a listener shows it here.
//
// Reported after a forced full GC (lib/browser.mjs `collectGarbage`): the JS heap (CDP
// Runtime.getHeapUsage, exact, unlike performance.memory), and the DOM counters
// (Memory.getDOMCounters); then WebSockets still open and timers still pending,
// counted by the wrappers of page/init.js. The first heap sample is taken after a
// warm-up, so that code compiled and caches filled once are not counted as a leak.
// Each sample first lets the page render one frame: until then Chromium may still hold
// the element removed last (its nodes until the next rendering update), which is not
// a leak but would show as one whole element more now and then. While the samples were
// read after `window.gc()` alone, the last element or two were now and then counted
// longer still (most likely garbage that collection left; none in five runs read after
// `collectGarbage`); a final sample after 5 s idle still checks what the cycles left behind.
// Targets: flat heap, zero sockets, zero timers. Reported, not asserted.
import { collectGarbage, openBenchPage } from './lib/browser.mjs';
import { makeAppointments } from './lib/data.mjs';
import { startPageServer } from './lib/page-server.mjs';
import { bytes } from './lib/stats.mjs';

const IDLE_MS = 5000;

export async function runLeaks({ browser, quick }) {
  const cycles = quick ? 40 : 1000;
  const warmup = quick ? 10 : 50;
  const samples = 4; // heap samples after every quarter of the cycles: a leak grows steadily
  const server = await startPageServer({ appointments: makeAppointments(40) });
  const session = await openBenchPage(browser, server);
  const { page } = session;
  const cdp = await page.context().newCDPSession(page);
  try {
    const before = await page.evaluate(() => window.bench.probe());

    // Every sample waits for closing sockets and a rendered frame first, so that each one
    // sees the same state: no element, nothing in flight.
    const measure = async (done) => {
      await page.evaluate(() => window.bench.socketsClosed(3000));
      await page.evaluate(() => window.bench.settle());
      await collectGarbage(page, cdp);
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      const { nodes, jsEventListeners } = await cdp.send('Memory.getDOMCounters');
      return { cycles: done, heapBytes: usedSize, nodes, jsEventListeners };
    };

    let failed = (await page.evaluate((n) => window.bench.leakCycles(n), warmup)).failed;
    const heap = [await measure(0)];
    const t0 = Date.now();
    for (let i = 1; i <= samples; i += 1) {
      failed += (await page.evaluate((n) => window.bench.leakCycles(n), cycles / samples)).failed;
      heap.push(await measure((cycles / samples) * i));
    }
    const cycleMs = (Date.now() - t0) / cycles;
    const after = await page.evaluate(() => window.bench.probe());
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const end = await measure(cycles);

    const first = heap[0];
    const growth = end.heapBytes - first.heapBytes;
    const signed = (n) => `${n < 0 ? '−' : '+'}${bytes(Math.abs(n))}`;
    const timers = after.pendingTimers.map((t) => `${t.kind} ${t.delay} ms`).join(', ');
    return {
      rows: [
        {
          measure: `JS heap after GC, start → ${cycles} cycles later and 5 s idle`,
          result: `${bytes(first.heapBytes)} → ${bytes(end.heapBytes)} (${signed(growth)}, ${signed(Math.round(growth / cycles))} per cycle)`,
        },
        { measure: 'JS heap after GC: start, each quarter, after 5 s idle', result: [...heap, end].map((h) => bytes(h.heapBytes)).join(' → ') },
        {
          measure: 'DOM nodes after GC: start, each quarter, after 5 s idle',
          result: [...heap, end].map((h) => h.nodes).join(' → '),
        },
        { measure: 'JS event listeners, start → after 5 s idle', result: `${first.jsEventListeners} → ${end.jsEventListeners}` },
        { measure: `open WebSockets at end (of ${after.socketsCreated} created)`, result: String(after.openSockets) },
        { measure: 'pending timers at end (before any element)', result: `${after.pendingTimers.length}${timers ? ` (${timers})` : ''} (${before.pendingTimers.length})` },
        { measure: 'time per cycle (create → live + rendered → removed)', result: `${cycleMs.toFixed(1)} ms${failed ? `, ${failed} cycles timed out` : ''}` },
      ],
      raw: { cycles, warmup, failed, samples: [...heap, end], before, after, cycleMs },
    };
  } finally {
    await cdp.detach();
    await session.close();
    await server.close();
  }
}
