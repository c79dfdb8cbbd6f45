// The bench page's side of every browser scenario, driven from Node through
// `page.evaluate(() => bench.…)`. Results that come one at a time (one per change event
// the server emits) go back through `window.benchReport`, a function Node exposes.
import { connectRawSocket } from './naive-schedule.js'; // also defines <naive-schedule>

const probe = window.__benchProbe;

/** One rendered frame and then an idle task: the previous operation's layout and paint are done. */
const settle = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

const once = (target, type, accept = () => true) =>
  new Promise((resolve) => {
    const listener = (event) => {
      if (!accept(event)) return;
      target.removeEventListener(type, listener);
      resolve(event);
    };
    target.addEventListener(type, listener);
  });

/** The timer is cleared when `promise` settles first: the leak scenario counts pending timers. */
function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A `<schedule-dashboard>` on this page's own server (REST, Socket.IO and page share one origin). */
function dashboard({ fetch } = {}) {
  const el = document.createElement('schedule-dashboard');
  el.setAttribute('server-url', location.origin);
  el.setAttribute('log-level', 'silent');
  if (fetch) el.fetchAppointments = fetch;
  return el;
}

const live = (el) =>
  el.connectionState === 'live' ? Promise.resolve() : once(el, 'schedule-connection-change', (e) => e.detail.state === 'live');
const loaded = (el, source = 'initial') => once(el, 'schedule-updated', (e) => e.detail.source === source);

/**
 * The two figures of one operation that started at `t0` and whose render `node` has
 * requested: script time until `updateComplete`, then the same plus the style and
 * layout that the browser would otherwise do in the next frame, forced here by reading
 * a layout property. The element sends `schedule-updated` once it has rendered the
 * change, so `updateComplete` resolves at once; the baseline requests its render when it
 * dispatches, so one microtask later `updateComplete` is the promise of that render.
 */
async function finish(node, t0) {
  await null;
  await node.updateComplete;
  const scriptMs = performance.now() - t0;
  void document.body.offsetHeight;
  const layoutMs = performance.now() - t0;
  return { scriptMs, layoutMs };
}

/** Times `start()` (which mounts `node`) until the day it announced is rendered. */
async function timeFirstRender(node, event, start) {
  const announced = once(node, event, (e) => e.detail.source === 'initial');
  const t0 = performance.now();
  start();
  await announced;
  return finish(node, t0);
}

let day = [];
let keeper;
let changeTarget;
let firstRendered;
let soaked;
/** The burst under way: the change that comes last, and the renders seen so far. */
let burst;

window.bench = {
  ready: false,
  settle,

  /** The day both elements are fed, through `fetchAppointments`. */
  setDay(list) {
    day = list;
  },

  /**
   * A dashboard with an empty day that holds the page's shared Socket.IO connection, so
   * that each measured first render leases an open socket (as every element after the
   * first does in real use) instead of timing the creation of a WebSocket.
   */
  async mountKeeper() {
    keeper = dashboard({ fetch: async () => [] });
    const ready = Promise.all([live(keeper), loaded(keeper)]);
    document.body.append(keeper);
    await withTimeout(ready, 10000, 'keeper live');
  },

  /**
   * Before each first render: a forced GC (so that the previous run's garbage is not
   * collected inside the next one) and one rendered frame.
   */
  async beforeFirstRender() {
    window.gc();
    await settle();
  },

  /**
   * One first render of the day by the element or the baseline, left on the page until
   * `afterFirstRender()`; resolves once it is rendered and painted, so that a busy-time
   * reading taken after it (in Node) holds the style, layout and paint too.
   */
  async firstRender(kind) {
    const fetch = () => Promise.resolve(day);
    let node;
    if (kind === 'element') node = dashboard({ fetch });
    else (node = document.createElement('naive-schedule')).fetchAppointments = fetch;
    const event = kind === 'element' ? 'schedule-updated' : 'naive-updated';
    const times = await timeFirstRender(node, event, () => document.body.append(node));
    firstRendered = node;
    await settle();
    return times;
  },

  /** Checks that the last first render showed the whole day, and removes it. */
  afterFirstRender(kind) {
    const node = firstRendered;
    firstRendered = undefined;
    const rows = node.shadowRoot.querySelectorAll(kind === 'element' ? '[part="appointment"]' : 'li').length;
    node.remove();
    if (rows !== day.length) throw new Error(`${kind} rendered ${rows} rows, not ${day.length}`);
  },

  /**
   * Mounts the element or the baseline with the day and reports, for every change event
   * the server emits, the time from the frame's arrival to the end of its render. The
   * report waits for the frame to be painted, so that the server's next event finds an
   * idle page.
   */
  async mountForChanges(kind) {
    const fetch = () => Promise.resolve(day);
    const report = async (t0, node) => {
      if (burst) return burstRendered(node);
      const times = await finish(node, t0);
      await settle();
      window.benchReport(times);
    };
    // A burst is done when its last change is on screen; its renders are counted on the way
    // (the element: one `schedule-updated` per render; the baseline: one `updateComplete` per render).
    const burstRendered = async (node) => {
      const current = burst;
      current.renders.add(node.updateComplete);
      const list = kind === 'element' ? node.appointments : node.items;
      const last = list.find((a) => String(a.id) === current.id);
      if (last?.updatedAt !== current.updatedAt || current.done) return;
      current.done = true;
      await finish(node, current.t0);
      await settle();
      burst = undefined;
      window.benchReport({ renders: current.renders.size, ms: performance.now() - current.t0 });
    };
    if (kind === 'element') {
      const el = dashboard({ fetch });
      const ready = Promise.all([live(el), loaded(el)]);
      document.body.append(el);
      await withTimeout(ready, 10000, 'element live');
      keeper?.remove(); // from now on the measured element alone holds the socket
      keeper = undefined;
      el.addEventListener('schedule-updated', (e) => {
        if (e.detail.source === 'socket') void report(probe.lastMessageAt, el);
      });
      changeTarget = { node: el, close() {} };
    } else {
      const node = document.createElement('naive-schedule');
      node.fetchAppointments = fetch;
      const ready = once(node, 'naive-updated');
      document.body.append(node);
      await ready;
      await node.updateComplete;
      node.addEventListener('naive-updated', (e) => {
        if (e.detail.source === 'socket') void report(probe.lastMessageAt, node);
      });
      const socket = await withTimeout(
        connectRawSocket(location.origin, '/appointments', (event, payload) => {
          if (event === 'dashboard_schedule_updated' && payload?.action) node.apply(payload);
        }),
        10000,
        'raw socket',
      );
      changeTarget = { node, close: () => socket.close() };
    }
  },

  /**
   * The next change events form a burst, the last of them `last` (`{ id, updatedAt }`):
   * one report when it is rendered, with the number of renders the burst took.
   */
  expectBurst(last) {
    burst = { ...last, t0: performance.now(), renders: new Set(), done: false };
  },

  /**
   * A dashboard that does not listen to the server's event (another `event-name`): a burst
   * sent to it costs what the messages cost the page (the browser's work per message and
   * Socket.IO's decoding), without the element's. Resolves with the messages seen so far.
   */
  async mountDeaf() {
    const el = dashboard({ fetch: () => Promise.resolve(day) });
    el.setAttribute('event-name', 'not-listened-to');
    const ready = Promise.all([live(el), loaded(el)]);
    document.body.append(el);
    await withTimeout(ready, 10000, 'deaf element live');
    changeTarget = { node: el, close() {} };
    return probe.messages;
  },

  /** Resolves once `count` messages in all have reached the page and a frame has been painted since. */
  async messagesSeen(count) {
    await withTimeout(
      new Promise((resolve) => {
        probe.onMessage = () => {
          if (probe.messages < count) return;
          probe.onMessage = undefined;
          resolve();
        };
        probe.onMessage();
      }),
      10000,
      'messages',
    );
    await settle();
  },

  unmountForChanges() {
    changeTarget?.close();
    changeTarget?.node.remove();
    changeTarget = undefined;
  },

  /**
   * Latency: a dashboard on REST and Socket.IO, as deployed. Each change reports the
   * frame's arrival → rendered time and the wall-clock moment the render was done
   * (performance.timeOrigin + now(): sub-millisecond, unlike Date.now()).
   */
  async mountForLatency() {
    const el = dashboard();
    const ready = Promise.all([live(el), loaded(el)]);
    document.body.append(el);
    await withTimeout(ready, 10000, 'element live');
    el.addEventListener('schedule-updated', async (e) => {
      if (e.detail.source !== 'socket') return;
      const arrivedAt = probe.lastMessageAt;
      await null;
      await el.updateComplete;
      const now = performance.now();
      // Painted: the render ran inside an animation frame's callbacks, so the first task
      // after it runs once that frame's style, layout and paint are done. Next frame: a
      // requestAnimationFrame requested after the render, whose callback comes one frame on
      // (about when the painted frame reaches the screen).
      const painted = new Promise((resolve) => setTimeout(() => resolve(performance.now()), 0));
      const nextFrame = new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
      const [paintedAt, nextFrameAt] = await Promise.all([painted, nextFrame]);
      const report = {
        arrivalToRenderedMs: now - arrivedAt,
        renderedAt: performance.timeOrigin + now,
        paintedAt: performance.timeOrigin + paintedAt,
        nextFrameAt: performance.timeOrigin + nextFrameAt,
      };
      await settle();
      window.benchReport(report);
    });
    changeTarget = { node: el, close() {} };
    return el.appointments.length;
  },

  /** What the element measured itself (last 200 samples). */
  elementLatency() {
    return changeTarget.node.metrics.latency;
  },

  /**
   * How far this page's high-resolution clock (timeOrigin + now) is from Date.now(),
   * averaged over 20 ms of samples: Date.now() counts whole milliseconds, so a single
   * reading is off by up to 1 ms, the mean of many is not (the +0.5 undoes the
   * truncation). Node does the same, and the latency scenario corrects by the difference.
   */
  clockOffset() {
    let sum = 0;
    let n = 0;
    const end = performance.now() + 20;
    while (performance.now() < end) {
      const precise = performance.timeOrigin + performance.now();
      sum += Date.now() - precise;
      n += 1;
    }
    return sum / n + 0.5;
  },

  /**
   * Leaks: `n` create → connect → remove cycles, each waiting for the element to be
   * live on the socket and to have its REST answer before removing it.
   */
  async leakCycles(n) {
    let failed = 0;
    for (let i = 0; i < n; i += 1) {
      const el = dashboard();
      const ready = Promise.all([live(el), loaded(el)]);
      document.body.append(el);
      try {
        await withTimeout(ready, 10000, 'cycle');
      } catch {
        failed += 1;
      }
      el.remove();
    }
    return { failed };
  },

  /**
   * Soak: one dashboard as deployed (REST, then the socket), left on the page. The page's
   * clock is Playwright's fake one, driven from Node: nothing here waits on a timer.
   */
  soakMount() {
    soaked = dashboard();
    document.body.append(soaked);
  },

  /** What Node needs to drive the soak: the state and a few counters. */
  soakState() {
    const { connection, events, consistency, fetch } = soaked.metrics;
    return {
      state: soaked.connectionState,
      rows: soaked.appointments.length,
      received: events.received,
      applied: events.applied,
      connects: connection.connects,
      recovered: connection.recovered,
      checks: consistency.checks,
      mismatches: consistency.mismatches,
      requests: fetch.requests,
      rendered: soaked.shadowRoot.querySelectorAll('[part="appointment"]').length,
    };
  },

  /** Nodes in the element's shadow tree (elements, text, Lit's comment markers): what it shows, grown or not. */
  soakShadowNodes() {
    const walker = document.createTreeWalker(soaked.shadowRoot, NodeFilter.SHOW_ALL);
    let n = 0;
    while (walker.nextNode()) n += 1;
    return n;
  },

  /** The list the element holds, as plain data for comparing with the server's. */
  soakList() {
    return soaked.appointments.map((a) => ({ id: String(a.id), start: a.start, status: a.status, updatedAt: a.updatedAt }));
  },

  gc() {
    window.gc();
    window.gc();
  },

  /** Waits (up to `ms`) for closing WebSockets to finish closing. */
  async socketsClosed(ms) {
    const end = performance.now() + ms;
    while (probe.openSockets.size > 0 && performance.now() < end) await new Promise((r) => setTimeout(r, 20));
  },

  probe() {
    return {
      openSockets: probe.openSockets.size,
      socketsCreated: probe.socketsCreated,
      pendingTimers: [...probe.pendingTimers.values()],
    };
  },
};

await customElements.whenDefined('schedule-dashboard');
window.bench.ready = true;
