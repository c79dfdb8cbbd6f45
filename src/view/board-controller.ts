/**
 * The flow board's memory, on the view side: what the element has seen change, and when.
 *
 * - When it first saw each appointment's current status: the last source of a waiting
 *   time, after `arrivedAt` and `statusChangedAt` (README, "The flow board").
 * - Which rows changed in the last few seconds (highlighted), with one timer for all of
 *   them, and what to announce politely about a change, in the privacy mode in force.
 * - In kiosk mode, keeping the `now` marker in view: after each render it scrolls there,
 *   unless a person scrolled (wheel, touch, keys) in the last two minutes.
 *
 * Everything it starts is undone when the element leaves the page.
 */

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { APPOINTMENT_STATUSES, type Appointment } from '../data/payload.js';
import type { ScheduleLocalize } from '../i18n/localize.js';
import { Scope, type Undo } from '../scope.js';
import { RowGroups } from './row-groups.js';

/** How long a changed row stays highlighted. */
export const HIGHLIGHT_MS = 4000;
/** A person's scroll holds the kiosk's own scrolling back this long. */
export const KIOSK_HOLD_MS = 2 * 60 * 1000;

type Host = ReactiveControllerHost & HTMLElement;

export class BoardController implements ReactiveController {
  readonly #host: Host;
  readonly #now: () => number;
  #previous: readonly Appointment[] = [];
  /** The list's rows in groups, as last drawn. */
  readonly rows = new RowGroups();
  /** id → [status, when the element first saw it]. */
  #seen = new Map<string, readonly [string, number]>();
  /** id → when it last changed. */
  #changed = new Map<string, number>();
  #scope = new Scope();
  #highlightTimer?: Undo;
  #lastPersonScroll = -Infinity;
  /** The host's `tabindex` is the kiosk's own (not the page's). */
  #ownTabIndex = false;
  #narrow = false;

  constructor(host: Host, now: () => number = Date.now) {
    (this.#host = host).addController(this);
    this.#now = now;
  }

  hostConnected(): void {
    const held = () => (this.#lastPersonScroll = this.#now());
    for (const event of ['wheel', 'touchstart', 'keydown']) this.#scope.on(this.#host, event, held);
    // Columns need room: below 40em of the element's own width they fall back to the list.
    const size = new ResizeObserver(([entry]) => {
      const em = parseFloat(getComputedStyle(this.#host).fontSize) || 16;
      const narrow = entry.contentRect.width < 40 * em;
      if (narrow === this.#narrow) return;
      this.#narrow = narrow;
      this.#host.requestUpdate();
    });
    size.observe(this.#host);
    this.#scope.add(() => size.disconnect());
  }

  /** True while the element is narrower than 40em: `layout="columns"` shows the list. */
  get narrow(): boolean {
    return this.#narrow;
  }

  hostDisconnected(): void {
    this.#scope.dispose();
    this.#highlightTimer = undefined;
  }

  /**
   * Takes note of the list about to be rendered; returns what changed since the last one.
   * `quiet`: take note only (the first list of the day is not a change).
   */
  observe(list: readonly Appointment[], quiet: boolean): Array<{ readonly before?: Appointment; readonly after?: Appointment }> {
    const now = this.#now();
    const held = this.#previous;
    // Unchanged appointments keep their object: only what changed is looked at twice. While
    // the same ids stand in the same places (a change of status, say), the lists are compared
    // place by place, without building a map of the last list by id. (Ids are unique: the
    // schedule keys appointments by `String(id)`; with duplicates the two pairings would differ.)
    const inPlace = list.length === held.length && list.every((a, i) => a === held[i] || String(a.id) === String(held[i].id));
    const previous = new Map(inPlace ? [] : held.map((a) => [String(a.id), a]));
    const changes: Array<{ before?: Appointment; after?: Appointment }> = [];
    for (const [i, after] of list.entries()) {
      if (inPlace && after === held[i]) continue;
      const id = String(after.id);
      const before = inPlace ? held[i] : previous.get(id);
      previous.delete(id);
      if (before === after) continue;
      if (!quiet) changes.push({ before, after });
      const status = after.status ?? '';
      if (this.#seen.get(id)?.[0] !== status) this.#seen.set(id, [status, now]);
    }
    // What is left was removed.
    for (const [id, before] of previous) {
      changes.push({ before });
      this.#seen.delete(id);
      this.#changed.delete(id);
    }
    this.#previous = list;
    for (const { after } of changes) if (after) this.#changed.set(String(after.id), now);
    if (changes.length) this.#armHighlight();
    return changes;
  }

  /** When the element first saw this appointment in its current status. */
  seenAt(id: string | number): number | undefined {
    return this.#seen.get(String(id))?.[1];
  }

  /** When the row's "just changed" highlight ends, if it changed lately. */
  highlightEnds(id: string | number): number | undefined {
    const at = this.#changed.get(String(id));
    return at === undefined ? undefined : at + HIGHLIGHT_MS;
  }

  /** The polite announcement for `changes`; `who` names an appointment as the privacy mode allows. */
  announce(changes: ReturnType<BoardController['observe']>, who: (a: Appointment) => string, t: ScheduleLocalize): string | undefined {
    if (changes.length === 0) return undefined;
    if (changes.length > 1) return t.count('changed', changes.length);
    const [{ before, after }] = changes;
    if (!after) return t.term('did.removed', who(before!));
    if (!before) return t.term('did.scheduled', who(after));
    const status = after.status;
    if (before.status !== status && status) {
      return (APPOINTMENT_STATUSES as readonly string[]).includes(status)
        ? t.term(`did.${status}` as 'did.scheduled', who(after))
        : t.term('did.other', who(after), status);
    }
    return t.term('did.updated', who(after));
  }

  /** After a render in kiosk mode: brings `now` into view unless a person scrolled lately. */
  keepInView(marker: Element | null | undefined): void {
    if (!marker || this.#now() - this.#lastPersonScroll < KIOSK_HOLD_MS) return;
    // Only the nearest scroll container moves (the element on a wall screen, sized by the page):
    // a kiosk on an intranet page never scrolls the page itself. Browsers without the
    // `container` option scroll every ancestor, as `block: 'center'` alone would.
    marker.scrollIntoView({ block: 'center', container: 'nearest' } as ScrollIntoViewOptions);
  }

  /**
   * Kiosk on or off. A kiosk scrolls its own box, which must then scroll by keyboard too
   * (WCAG 2.1.1, axe's `scrollable-region-focusable`): the host becomes a tab stop, unless
   * the page gave it a `tabindex` of its own; off again, it takes back only its own.
   */
  kiosk(on: boolean): void {
    if (on && !this.#host.hasAttribute('tabindex')) {
      this.#host.tabIndex = 0;
      this.#ownTabIndex = true;
    } else if (!on && this.#ownTabIndex) {
      this.#host.removeAttribute('tabindex');
      this.#ownTabIndex = false;
    }
  }

  /**
   * One timer for every highlight: re-render when the newest one is over. Every other one is
   * over too by then, so the ids are forgotten (a screen left running for weeks sees new ones daily).
   */
  #armHighlight() {
    this.#highlightTimer?.();
    this.#highlightTimer = this.#scope.timeout(() => {
      this.#highlightTimer = undefined;
      this.#changed.clear();
      this.#host.requestUpdate();
    }, HIGHLIGHT_MS);
  }
}
