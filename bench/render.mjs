// Scenario 1, render: scripting time of the element's first render of a day of 100,
// 1,000 and 5,000 appointments, and of one change event applied to such a day, next to
// a naive baseline (page/naive-schedule.js: innerHTML of the whole list, no keys).
//
// Times are performance.now() around the operation until `updateComplete`: script only
// (parse, state, template, DOM writes). A second figure adds the style and layout the
// browser does afterwards (forced at once by reading a layout property), because the
// two approaches shift work between script and layout; paint is in neither.
// - First render: from append to the day rendered; the data comes from
//   `fetchAppointments` (no network), the same resolved list for both.
// - Change: from the WebSocket frame's arrival in the page to the end of the render it
//   causes; the reference backend emits it over loopback, and the baseline receives the
//   same frames on its own minimal socket.
import { openBenchPage } from './lib/browser.mjs';
import { changes, makeAppointments } from './lib/data.mjs';
import { startPageServer } from './lib/page-server.mjs';
import { median, ms, ratio } from './lib/stats.mjs';

const SIZES = [100, 1000, 5000];

// Fewer runs for bigger days: a 5,000-row run costs up to a second with its layout,
// and bigger days vary less from run to run relative to their median.
const FULL = {
  firstRender: { 100: 60, 1000: 40, 5000: 20 },
  change: { 100: 150, 1000: 100, 5000: 50 },
  warmup: 5,
};
const QUICK = { firstRender: { 100: 5, 1000: 5, 5000: 3 }, change: { 100: 10, 1000: 10, 5000: 4 }, warmup: 1 };

export async function runRender({ browser, quick }) {
  const plan = quick ? QUICK : FULL;
  const rows = [];
  const raw = {};
  // One page for all sizes: each size gets a fresh set of elements anyway.
  const server = await startPageServer();
  const session = await openBenchPage(browser, server);
  const { page, reports } = session;
  try {
    for (const size of SIZES) {
      const day = makeAppointments(size);
      await page.evaluate((list) => window.bench.setDay(list), day);
      await page.evaluate(() => window.bench.mountKeeper());

      const first = await page.evaluate((options) => window.bench.firstRenders(options), {
        runs: plan.firstRender[size],
        warmup: plan.warmup,
      });

      // The same series of changes for both: the backend's day and the series start
      // from `day` again for the baseline.
      const change = {};
      for (const kind of ['element', 'baseline']) {
        server.backend.setAppointments(day.map((a) => ({ ...a })));
        const series = changes(day.map((a) => ({ ...a })));
        await page.evaluate((k) => window.bench.mountForChanges(k), kind);
        change[kind] = [];
        for (let i = 0; i < plan.warmup + plan.change[size]; i += 1) {
          server.backend.upsert(series.next().value);
          const value = await reports.next();
          if (i >= plan.warmup) change[kind].push(value);
        }
        await page.evaluate(() => window.bench.unmountForChanges());
      }

      raw[size] = { firstRender: first, change };
      const n = size.toLocaleString('en');
      const row = (measure, samples, figure) => {
        const result = median(samples.element.map((t) => t[figure]));
        const baseline = median(samples.baseline.map((t) => t[figure]));
        return {
          measure: `${measure} (median of ${samples.element.length})`,
          result: ms(result),
          baseline: ms(baseline),
          ratio: ratio(result, baseline),
        };
      };
      rows.push(
        row(`first render, ${n} appts, script`, first, 'scriptMs'),
        row(`first render, ${n} appts, script+layout`, first, 'layoutMs'),
        row(`one change event, ${n} appts, script`, change, 'scriptMs'),
        row(`one change event, ${n} appts, script+layout`, change, 'layoutMs'),
      );
    }
  } finally {
    await session.close();
    await server.close();
  }
  return { rows, raw };
}
