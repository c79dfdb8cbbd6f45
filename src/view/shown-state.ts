/**
 * The connection state shown on the host, for CSS: the `connection-state` attribute and, where
 * the browser has custom states, `:state(live)` and its kind (through `ElementInternals`).
 */
export class ShownState {
  readonly #host: HTMLElement;
  readonly #internals: ElementInternals;

  constructor(host: HTMLElement) {
    this.#host = host;
    this.#internals = host.attachInternals();
  }

  show(state: string): void {
    if (this.#host.getAttribute('connection-state') !== state) this.#host.setAttribute('connection-state', state);
    const states = this.#internals.states as Set<string> | undefined;
    if (states && !states.has(state)) {
      states.clear();
      states.add(state);
    }
  }
}
