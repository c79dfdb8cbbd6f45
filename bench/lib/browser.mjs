// Headless Debian Chromium through playwright-core: nothing is downloaded, the system
// browser (or CHROME_PATH) is driven over CDP.
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const CHROME_ARGS = [
  '--no-sandbox', // we run as root
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--js-flags=--expose-gc', // window.gc(): heap figures after a full collection
];

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: CHROME_ARGS,
  });
}

/**
 * The page's garbage collected as thoroughly as V8 can, before a heap or counter reading:
 * `window.bench.gc()` (`window.gc()` twice, from the page's own script), then CDP
 * `HeapProfiler.collectGarbage` (V8's "all available garbage": several full
 * collections in a row, run from DevTools' task). After `gc()` alone, Memory.getDOMCounters
 * now and then still counted six JS event listeners more than at the start (in 2 of 5 soak
 * runs, at one sample each, and again after a second `gc()` and a second of waiting); after
 * `HeapProfiler.collectGarbage`, none.
 */
export async function collectGarbage(page, cdp) {
  await page.evaluate(() => window.bench.gc());
  await cdp.send('HeapProfiler.collectGarbage');
}

/**
 * A fresh context and page on `server`'s bench page, with the probes of page/init.js
 * installed before the bundle loads, and `window.benchReport(value)` delivering values
 * to `reports.next()` in Node.
 */
export async function openBenchPage(browser, server) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const reports = new Reports();
  await page.exposeFunction('benchReport', (value) => reports.push(value));
  await page.addInitScript({ path: fileURLToPath(new URL('../page/init.js', import.meta.url)) });
  page.on('pageerror', (error) => console.error(`[bench page] ${error.message}`));
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() => window.bench?.ready === true);
  return { page, context, reports, close: () => context.close() };
}

/** A queue of values reported by the page, awaited one at a time. */
class Reports {
  #values = [];
  #waiting = [];

  push(value) {
    const waiter = this.#waiting.shift();
    if (waiter) waiter(value);
    else this.#values.push(value);
  }

  /** The next value; rejects after `ms` so that a lost event fails the run instead of hanging it. */
  next(ms = 15000) {
    if (this.#values.length > 0) return Promise.resolve(this.#values.shift());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(done), 1);
        reject(new Error(`no report from the page within ${ms} ms`));
      }, ms);
      const done = (value) => {
        clearTimeout(timer);
        resolve(value);
      };
      this.#waiting.push(done);
    });
  }
}
