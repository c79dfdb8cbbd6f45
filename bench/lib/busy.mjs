// Main-thread busy time: the renderer main thread's `TaskDuration` (CDP Performance.getMetrics)
// read before and after an operation. It counts what the thread did (script, style, layout,
// paint, the bench's own small reporting tasks) and not the idle waits in between, such as
// waiting for the next animation frame. The `threadTicks` time domain counts the thread's
// own CPU time, so time the thread spends descheduled (the machine has 2 cores, shared)
// does not count either; where the platform lacks thread ticks, wall time of tasks is used.

/** A meter on `page`: `read()` gives the busy milliseconds so far; `domain` says which clock. */
export async function busyMeter(page) {
  const cdp = await page.context().newCDPSession(page);
  let domain = 'threadTicks';
  try {
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  } catch {
    domain = 'timeTicks';
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
  }
  const all = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
  };
  const read = async () => (await all()).TaskDuration * 1000;
  return {
    domain,
    read,
    /**
     * `fn()`'s value, the busy time while it ran, and its parts (ms): script, style recalc
     * and layout as Chromium counts them; the rest of the busy time is paint, tasks'
     * overhead, parsing, garbage collection outside script.
     */
    async around(fn) {
      const before = await all();
      const value = await fn();
      const after = await all();
      const d = (name) => (after[name] - before[name]) * 1000;
      return {
        value,
        busyMs: d('TaskDuration'),
        parts: { scriptMs: d('ScriptDuration'), styleMs: d('RecalcStyleDuration'), layoutMs: d('LayoutDuration') },
      };
    },
    close: () => cdp.detach().catch(() => {}),
  };
}
