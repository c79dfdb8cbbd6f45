// The demo page as `npm start` serves it (demo/server/demo-page.js): every dashboard on it is
// given the practice's time zone, so that a browser in another zone (or an evening away from
// UTC) shows the simulated clinic's day instead of "another day".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPageServer } from '../demo/server/demo-page.js';

test("the demo page's dashboards carry the practice's time-zone", async () => {
  const page = await startPageServer({ port: 0, host: '127.0.0.1', timeZone: 'America/New_York', hmr: false, handle: () => false });
  try {
    const html = await (await fetch(`http://127.0.0.1:${page.port}/demo/`)).text();
    const tags = html.match(/<schedule-dashboard\b[^>]*>/g) ?? [];
    assert.equal(tags.length, 3);
    for (const tag of tags) assert.match(tag, / time-zone="America\/New_York"/);
  } finally {
    await page.close();
  }
});
