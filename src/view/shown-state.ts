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
    for (const shown of [...states]) if (shown !== state && !flags[shown]) states.delete(shown);
    states.add(state);
    for (const [flag, on] of Object.entries(flags)) if (on) states.add(flag);
  }
}
