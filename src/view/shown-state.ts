/**
 * The connection state shown on the host, for CSS: the `connection-state` attribute and, where
 * the browser has custom states, `:state(live)` (through `ElementInternals`); beside it, flags
 * of the element's own layout such as `:state(narrow)`.
 */
export class ShownState {
  readonly #host: HTMLElement;
  readonly #internals: ElementInternals;

  constructor(host: HTMLElement) {
    this.#host = host;
    this.#internals = host.attachInternals();
  }

  show(state: string, flags: Readonly<Record<string, boolean>> = {}): void {
    if (this.#host.getAttribute('connection-state') !== state) this.#host.setAttribute('connection-state', state);
    const states = this.#internals.states as Set<string> | undefined;
    if (!states) return;
    // Only what changes is touched: Chromium restyles the whole shadow tree on every `add`,
    // even of a state already there (on each render, for a long list the largest cost).
    for (const shown of [...states]) if (shown !== state && !flags[shown]) states.delete(shown);
    for (const on of [state, ...Object.keys(flags).filter((flag) => flags[flag])]) if (!states.has(on)) states.add(on);
  }
}
