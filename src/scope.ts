/**
 * The undo list (socket.io-client's `subs` habit): every listener and timer is created
 * through a scope, which keeps its undo beside it; `dispose()` runs them all, once.
 * Nothing is torn down by hand twice, and nothing is forgotten when an element leaves
 * the page.
 */

/** Undoes one thing; safe to call more than once. */
export type Undo = () => void;

/** Anything with `on`/`off` (a Socket.IO socket or Manager). */
interface Emitter {
  // Socket.IO types its event names and listeners per emitter; any of them will do here.
  /* eslint-disable @typescript-eslint/no-explicit-any */
  on(event: any, fn: any): unknown;
  off(event: any, fn: any): unknown;
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

/**
 * One attachment's undo list.
 *
 * @example
 * ```ts
 * const scope = new Scope();
 * scope.on(window, 'online', () => refresh());
 * scope.interval(() => checkDay(), 60_000);
 * // later, when the element leaves the page:
 * scope.dispose();
 * ```
 */
export class Scope {
  #undos = new Set<Undo>();

  /** Keeps `undo` until `dispose()`; the returned undo runs it early (and only once). */
  add(undo: Undo): Undo {
    const once: Undo = () => {
      if (this.#undos.delete(once)) undo();
    };
    this.#undos.add(once);
    return once;
  }

  /** Listens to a DOM target or a Socket.IO emitter. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a DOM listener or any Socket.IO event's
  on(target: EventTarget | Emitter, event: string, fn: (...args: any[]) => void): Undo {
    if ('addEventListener' in target) {
      target.addEventListener(event, fn);
      return this.add(() => target.removeEventListener(event, fn));
    }
    target.on(event, fn);
    return this.add(() => target.off(event, fn));
  }

  /** `setTimeout`, undone by the scope; it leaves the list once it has run. */
  timeout(fn: () => void, ms: number): Undo {
    const undo = this.add(() => clearTimeout(id));
    const id = setTimeout(() => {
      undo();
      fn();
    }, ms);
    return undo;
  }

  /** `setInterval`, undone by the scope. */
  interval(fn: () => void, ms: number): Undo {
    const id = setInterval(fn, ms);
    return this.add(() => clearInterval(id));
  }

  /** How many undos are held: for tests that check nothing is left behind. */
  get size(): number {
    return this.#undos.size;
  }

  /** Runs every undo, newest first. The scope can be used again afterwards. */
  dispose(): void {
    for (const undo of [...this.#undos].reverse()) undo();
  }
}
