// Installed with page.addInitScript, so it runs before any script of the page: the
// bundle's Socket.IO client captures `WebSocket` and `setTimeout` when it loads, and
// only wrappers in place by then see what it does. Plain script (no module): init
// scripts are evaluated as classic scripts.
(() => {
  const probe = {
    /** performance.now() when the latest WebSocket message reached the page. */
    lastMessageAt: 0,
    /** WebSocket messages that reached the page. */
    messages: 0,
    /** WebSockets not yet closed. */
    openSockets: new Set(),
    socketsCreated: 0,
    /** Timer id → { kind, delay }, for timers neither fired (timeouts) nor cleared. */
    pendingTimers: new Map(),
  };
  Object.defineProperty(window, '__benchProbe', { value: probe });

  const NativeWebSocket = window.WebSocket;
  class CountingWebSocket extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      probe.socketsCreated += 1;
      probe.openSockets.add(this);
      this.addEventListener('close', () => probe.openSockets.delete(this));
      // Added in the constructor, so it runs before the client's own `onmessage`: the
      // time taken is when the frame was handed to the page, before any decoding.
      this.addEventListener('message', () => {
        probe.lastMessageAt = performance.now();
        probe.messages += 1;
        probe.onMessage?.();
      });
    }
  }
  window.WebSocket = CountingWebSocket;

  const native = {
    setTimeout: window.setTimeout.bind(window),
    setInterval: window.setInterval.bind(window),
    clearTimeout: window.clearTimeout.bind(window),
    clearInterval: window.clearInterval.bind(window),
  };
  window.setTimeout = function (fn, delay, ...args) {
    if (typeof fn !== 'function') return native.setTimeout(fn, delay, ...args);
    const id = native.setTimeout(
      (...callArgs) => {
        probe.pendingTimers.delete(id);
        fn(...callArgs);
      },
      delay,
      ...args,
    );
    probe.pendingTimers.set(id, { kind: 'timeout', delay: Number(delay) || 0 });
    return id;
  };
  window.setInterval = function (fn, delay, ...args) {
    const id = native.setInterval(fn, delay, ...args);
    probe.pendingTimers.set(id, { kind: 'interval', delay: Number(delay) || 0 });
    return id;
  };
  // Browsers let either clear function cancel either kind of timer; so does this.
  window.clearTimeout = function (id) {
    probe.pendingTimers.delete(id);
    native.clearTimeout(id);
  };
  window.clearInterval = function (id) {
    probe.pendingTimers.delete(id);
    native.clearInterval(id);
  };
})();
