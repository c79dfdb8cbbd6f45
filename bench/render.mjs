// Scenario 1, render: the cost of the element's first render of a day of 100, 1,000 and
// 5,000 appointments, of one change event applied to such a day, and of a burst of 100
// change events within one frame, next to a naive baseline (page/naive-schedule.js:
// innerHTML of the whole list, no keys).
//
// The cost is main-thread busy time (lib/busy.mjs: the renderer's TaskDuration over CDP,
// read before and after the operation, which ends once its frame is painted): script,
// style, layout and paint, without the idle waits for the next animation frame. Beside it,
// the wall figures: performance.now() around the operation until `updateComplete` (script;
// for the element this includes its frame wait), and the same plus the style and layout
// forced at once by reading a layout property (script+layout).
// - First render: from append to the day rendered; the data comes from
//   `fetchAppointments` (no network), the same resolved list for both.
// - Change: from the WebSocket frame's arrival in the page to the end of the render it
//   causes; the reference backend emits it over loopback, and the baseline receives the
//   same frames on its own minimal socket.
// - Burst: 100 changes emitted back to back; done when the last is rendered and painted.
//   Beside it, the floor under any element: the same bursts to an element that does not
//   listen to the event (the browser's work per message and Socket.IO's decoding alone);
//   and bursts of 100 changes to one appointment (the same messages, one row to draw).
import { openBenchPage } from './lib/browser.mjs';
import { busyMeter } from './lib/busy.mjs';
import { changes, makeAppointments } from './lib/data.mjs';
import { startPageServer } from './lib/page-server.mjs';
import { median, ms, percentile, ratio } from './lib/stats.mjs';

const SIZES = [100, 1000, 5000];

// Fewer runs for bigger days: a 5,000-row run costs up to a second with its layout,
// and bigger days vary less from run to run relative to their median.
const FULL = {
  firstRender: { 100: 60, 1000: 40, 5000: 20 },
  change: { 100: 150, 1000: 100, 5000: 50 },
  // Bursts at 1,000 appointments: the baseline renders every event of a burst (about 2–5 s).
  burst: { size: 1000, events: 100, element: 30, baseline: 5 },
  warmup: 5,
};
const QUICK = {
  firstRender: { 100: 5, 1000: 5, 5000: 3 },
  change: { 100: 10, 1000: 10, 5000: 4 },
  burst: { size: 1000, events: 100, element: 3, baseline: 1 },
  warmup: 1,
};

/** The goals (README, "Benchmarks"): busy time against the baseline's, in the same run. */
const GOALS = {
  change: { 1000: 0.1, 5000: 0.1 },
  firstRender: { 1000: 1.5 },
  burstPerChange: 2,
};

export async function runRender({ browser, quick }) {
  const plan = quick ? QUICK : FULL;
  const rows = [];
  const raw = {};
  // One page for all sizes: each size gets a fresh set of elements anyway.
  const server = await startPageServer();
  const session = await openBenchPage(browser, server);
  const { page, reports } = session;
  const meter = await busyMeter(page);
  try {
    for (const size of SIZES) {
      const day = makeAppointments(size);
      await page.evaluate((list) => window.bench.setDay(list), day);
      await page.evaluate(() => window.bench.mountKeeper());

      // First renders, alternating element and baseline run by run so that any drift of
      // the machine during the loop touches both alike.
      const first = { element: [], baseline: [] };
      for (let i = 0; i < plan.warmup + plan.firstRender[size]; i += 1) {
        for (const kind of ['element', 'baseline']) {
          await page.evaluate(() => window.bench.beforeFirstRender());
          const { value, busyMs, parts } = await meter.around(() => page.evaluate((k) => window.bench.firstRender(k), kind));
          await page.evaluate((k) => window.bench.afterFirstRender(k), kind);
          if (i >= plan.warmup) first[kind].push({ ...value, busyMs, parts });
        }
      }

      // The same series of changes for both: the backend's day and the series start
      // from `day` again for the baseline.
      const change = {};
      const bursts = {};
      for (const kind of ['element', 'baseline']) {
        server.backend.setAppointments(day.map((a) => ({ ...a })));
        const held = day.map((a) => ({ ...a }));
        const clock = { stamp: Date.now() };
        const series = changes(held, { clock });
        await page.evaluate((k) => window.bench.mountForChanges(k), kind);
        change[kind] = [];
        for (let i = 0; i < plan.warmup + plan.change[size]; i += 1) {
          const { value, busyMs, parts } = await meter.around(() => {
            server.backend.upsert(series.next().value);
            return reports.next();
          });
          if (i >= plan.warmup) change[kind].push({ ...value, busyMs, parts });
        }
        if (size === plan.burst.size) bursts[kind] = await runBursts(kind, page, reports, meter, server, series, plan);
        if (size === plan.burst.size && kind === 'element') {
          // The cheapest burst there is: its 100 changes all to one appointment in the middle of
          // the day, so that one row is drawn again. What it costs beyond the messages alone is
          // the element's work per message and one render; the rest of a burst's cost, its rows.
          const oneRow = changes(held, { index: Math.floor(size / 2), clock });
          bursts.oneRow = await runBursts(kind, page, reports, meter, server, oneRow, plan);
        }
        if (kind === 'element') {
          // The same again under prefers-reduced-motion: a changed row is highlighted without its
          // 4 s fade. Back to back, each change otherwise shares its frames with the fades of
          // the changes before it (a hundred or so at once here; one or two in a practice).
          await page.emulateMedia({ reducedMotion: 'reduce' });
          change.noFade = [];
          for (let i = 0; i < plan.warmup + plan.change[size] / 2; i += 1) {
            const { value, busyMs, parts } = await meter.around(() => {
              server.backend.upsert(series.next().value);
              return reports.next();
            });
            if (i >= plan.warmup) change.noFade.push({ ...value, busyMs, parts });
          }
          await page.emulateMedia({ reducedMotion: null });
        }
        await page.evaluate(() => window.bench.unmountForChanges());
      }
      if (size === plan.burst.size) bursts.messages = await runDeafBursts(page, meter, server, changes(day.map((a) => ({ ...a }))), plan);

      raw[size] = { firstRender: first, change, ...(size === plan.burst.size && { bursts }) };
      const n = size.toLocaleString('en');
      const row = (measure, samples, figure, goal) => {
        const result = median(samples.element.map((t) => t[figure]));
        const baseline = median(samples.baseline.map((t) => t[figure]));
        return {
          measure: `${measure} (median of ${samples.element.length})`,
          result: ms(result),
          baseline: ms(baseline),
          ratio: ratio(result, baseline),
          ...(goal !== undefined && { goal: `≤ ${goal}×`, met: result <= goal * baseline }),
        };
      };
      // Where the busy time went: Chromium's own count of style and layout; the rest is script,
      // paint, compositing and task overhead. (Its script count is left out: with thread ticks it
      // misses most script.)
      const parts = (measure, samples) => {
        const split = (kind) => {
          const style = median(samples[kind].map((t) => t.parts.styleMs));
          const layout = median(samples[kind].map((t) => t.parts.layoutMs));
          const rest = median(samples[kind].map((t) => t.busyMs - t.parts.styleMs - t.parts.layoutMs));
          return [style, layout, rest].map(ms).join(' / ');
        };
        return { measure: `${measure}, busy: style / layout / the rest (medians)`, result: split('element'), baseline: split('baseline') };
      };
      rows.push(
        row(`first render, ${n} appts, busy`, first, 'busyMs', GOALS.firstRender[size]),
        parts(`first render, ${n} appts`, first),
        row(`first render, ${n} appts, wall: script`, first, 'scriptMs'),
        row(`first render, ${n} appts, wall: script+layout`, first, 'layoutMs'),
        row(`one change event, ${n} appts, busy`, change, 'busyMs', GOALS.change[size]),
        parts(`one change event, ${n} appts`, change),
        row(`one change event, ${n} appts, busy, without the fades (prefers-reduced-motion)`, { element: change.noFade, baseline: change.baseline }, 'busyMs'),
        row(`one change event, ${n} appts, wall: script`, change, 'scriptMs'),
        row(`one change event, ${n} appts, wall: script+layout`, change, 'layoutMs'),
      );
      if (size === plan.burst.size) {
        const burst = median(bursts.element.map((b) => b.busyMs));
        const single = median(change.element.map((t) => t.busyMs));
        const renders = (kind) => {
          const r = bursts[kind].map((b) => b.renders);
          return `${median(r)} (max ${Math.max(...r)})`;
        };
        const events = plan.burst.events;
        rows.push(
          {
            measure: `burst of ${events} change events within one frame, ${n} appts, busy (median of ${bursts.element.length}; baseline ${bursts.baseline.length})`,
            result: ms(burst),
            baseline: ms(median(bursts.baseline.map((b) => b.busyMs))),
            ratio: ratio(burst, median(bursts.baseline.map((b) => b.busyMs))),
          },
          {
            measure: `burst of ${events} ÷ one change event, ${n} appts, busy (baseline: the element's one change)`,
            result: ms(burst),
            baseline: ms(single),
            ratio: ratio(burst, single),
            goal: `≤ ${GOALS.burstPerChange}×`,
            met: burst <= GOALS.burstPerChange * single,
          },
          {
            // The floor under any element: the same burst to an element that does not listen to it.
            measure: `burst of ${events}, busy, the messages alone (an element not listening to them; median of ${bursts.messages.length})`,
            result: ms(median(bursts.messages.map((b) => b.busyMs))),
            baseline: ms(single),
            ratio: ratio(median(bursts.messages.map((b) => b.busyMs)), single),
          },
          {
            measure: `burst of ${events} changes to one appointment, busy (one row drawn again; median of ${bursts.oneRow.length})`,
            result: ms(median(bursts.oneRow.map((b) => b.busyMs))),
            baseline: ms(single),
            ratio: ratio(median(bursts.oneRow.map((b) => b.busyMs)), single),
          },
          { measure: `renders per burst of ${events}, median (max)`, result: renders('element'), baseline: renders('baseline') },
          {
            measure: `burst of ${events}, wall: from just before the emits → last change rendered, p50 / p95`,
            result: [50, 95].map((p) => ms(percentile(bursts.element.map((b) => b.ms), p))).join(' / '),
            baseline: [50, 95].map((p) => ms(percentile(bursts.baseline.map((b) => b.ms), p))).join(' / '),
          },
        );
      }
    }
  } finally {
    await meter.close();
    await session.close();
    await server.close();
  }
  return { rows, raw: { busyClock: meter.domain, ...raw } };
}

/**
 * The same bursts to an element that does not listen to the server's event: busy time from
 * the emits until every message has reached the page and a frame has been painted.
 */
async function runDeafBursts(page, meter, server, series, plan) {
  const out = [];
  let seen = await page.evaluate(() => window.bench.mountDeaf());
  try {
    for (let i = 0; i < 1 + plan.burst.element; i += 1) {
      const burst = Array.from({ length: plan.burst.events }, () => series.next().value);
      seen += burst.length;
      const { busyMs } = await meter.around(() => {
        for (const appointment of burst) server.backend.upsert(appointment);
        return page.evaluate((n) => window.bench.messagesSeen(n), seen);
      });
      if (i >= 1) out.push({ busyMs });
    }
  } finally {
    await page.evaluate(() => window.bench.unmountForChanges());
  }
  return out;
}

/**
 * Bursts: `events` changes emitted back to back by the backend (they reach the page
 * within a few milliseconds, inside one frame unless one happens to end meanwhile), timed
 * until the last of them is rendered and painted; the renders they took are counted.
 */
async function runBursts(kind, page, reports, meter, server, series, plan) {
  const out = [];
  const runs = plan.burst[kind];
  for (let i = 0; i < 1 + runs; i += 1) {
    const burst = Array.from({ length: plan.burst.events }, () => series.next().value);
    const last = burst.at(-1);
    await page.evaluate((l) => window.bench.expectBurst(l), { id: String(last.id), updatedAt: last.updatedAt });
    const { value, busyMs, parts } = await meter.around(() => {
      for (const appointment of burst) server.backend.upsert(appointment);
      return reports.next(60000);
    });
    if (i >= 1) out.push({ ...value, busyMs, parts });
  }
  return out;
}
