import { unsafeCSS } from 'lit';

/**
 * A `css` tag for this one literal, which interpolates nothing: Lit's own `css` carries the
 * checks of interpolated values (about 0.1 KB of the script-tag builds' 34 KB budget). Named
 * `css`, so that the build minifies the literal as it does Lit's.
 */
const css = (strings: TemplateStringsArray) => unsafeCSS(strings[0]);

// Sizes in `em`, never `rem`: they follow the host's font-size (a time stays on one line at any size).
export const styles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font-family: var(--schedule-dashboard-font-family, system-ui, sans-serif);
    color: var(--schedule-dashboard-color, #1f2933);
    background: var(--schedule-dashboard-background, #fff);
    border: var(--schedule-dashboard-border, 1px solid #d9dee3);
    border-radius: var(--schedule-dashboard-radius, 8px);
    padding: var(--schedule-dashboard-padding, 1em);
    --_muted: var(--schedule-dashboard-muted-color, #52606d);
    --_alert: var(--schedule-dashboard-alert-color, #b3261e);
  }
  /* A wall screen: larger type; given a height by the page, the element scrolls itself. */
  :host([kiosk]) {
    font-size: 1.35em;
    overflow: auto;
    /* It scrolls itself to "now". */
    overflow-anchor: none;
  }
  :host([hidden]) {
    display: none;
  }
  [part='header'] {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.5em;
    margin-bottom: 0.75em;
  }
  [part='heading'] {
    margin: 0;
    font-size: 1.25em;
  }
  [part='badge'] {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.35em;
    font-size: 0.875em;
    padding: 0.2em 0.6em;
    border-radius: 1em;
    border: 1px solid;
    color: var(--_muted);
  }
  [data-state='live'] {
    color: var(--schedule-dashboard-live-color, #1b7a3d);
  }
  [data-state='reconnecting'],
  [data-state='polling'],
  [data-state='offline'] {
    color: var(--schedule-dashboard-warning-color, #8a5300);
  }
  [data-state='unauthorized'],
  [part='error'] {
    color: var(--schedule-dashboard-error-color, #b3261e);
  }
  /* A quarter hour's rows: out of view, they skip style, layout and paint (a long day on a
     short screen); a group keeps its last rendered height, and one never rendered counts its
     rows as about two lines each (its contain-intrinsic-size, set by the template). */
  .rows {
    content-visibility: auto;
  }
  /* A wall screen keeps its day laid out: groups coming into view at their real height would
     move "now" from where the kiosk scrolled it. */
  :host([kiosk]) .rows {
    content-visibility: visible;
  }
  [part='appointment'] {
    display: grid;
    grid-template-columns: minmax(5.5em, max-content) minmax(0, 1fr) auto;
    gap: 0.15em 0.75em;
    padding: 0.5em 0;
    border-top: 1px solid #e4e7eb;
    /* Holds the highlight's overlay under its text, and keeps a row's layout its own. */
    contain: content;
  }
  [part='time'],
  [part='patient'],
  .next,
  .stale {
    font-weight: 600;
  }
  [part='time'] {
    white-space: nowrap;
  }
  .who,
  .details,
  [part='error'] {
    /* A 1 MB name without spaces wraps instead of widening the page. */
    overflow-wrap: anywhere;
    min-width: 0;
  }
  .details {
    grid-column: 2;
  }
  .details,
  [part='empty'],
  p {
    color: var(--_muted);
    font-size: 0.875em;
  }
  [part='status'] {
    grid-area: 1 / 3;
    align-self: start;
    padding: 0 0.5em;
    border-radius: 4px;
    white-space: nowrap;
    color: var(--_status, var(--_muted));
    border-inline-start: 0.25em solid;
    background: var(--schedule-dashboard-status-background, color-mix(in srgb, currentColor 8%, #fff));
  }
  /* One colour per known status, each with AA contrast on its tinted chip. */
  [data-status='scheduled'] { --_status: var(--schedule-dashboard-status-scheduled-color, #3e4c59); }
  [data-status='confirmed'] { --_status: var(--schedule-dashboard-status-confirmed-color, #1d4ed8); }
  [data-status='checked-in'] { --_status: var(--schedule-dashboard-status-checked-in-color, #9a3412); }
  [data-status='in-room'] { --_status: var(--schedule-dashboard-status-in-room-color, #6d28d9); }
  [data-status='completed'] { --_status: var(--schedule-dashboard-status-completed-color, #166534); }
  [data-status='cancelled'] { --_status: var(--schedule-dashboard-status-cancelled-color, #4b4b4b); }
  [data-status='no-show'] { --_status: var(--schedule-dashboard-status-no-show-color, #a61b1b); }
  [data-finished] time,
  [data-finished] .who {
    color: var(--_muted);
    font-weight: normal;
  }
  [data-status='cancelled'] .who {
    text-decoration: line-through;
  }
  .flow {
    grid-column: 2;
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.75em;
    font-size: 0.875em;
  }
  .flow:empty {
    display: none;
  }
  [part='late'],
  [data-wait-alert] [part='wait'] {
    color: var(--_alert);
    font-weight: 600;
  }
  [part='now'] {
    display: block;
    border-top: 2px solid var(--_alert);
    color: var(--_alert);
    font-size: 0.8em;
    font-weight: 600;
    padding: 0.1em 0;
  }
  /* The highlight fades as an overlay's opacity, which the compositor animates: a background
     colour would be restyled and repainted on the main thread every frame for 4 s. The row
     (contain: content) holds the overlay under its text. */
  [data-changed]::before {
    content: '';
    position: absolute;
    inset: 0;
    z-index: -1;
    background: #fff3bf;
    opacity: 0;
    animation: changed 4s ease-out;
  }
  @keyframes changed {
    from {
      opacity: 1;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    [data-changed] {
      background: #fff8db;
    }
    [data-changed]::before {
      animation: none;
    }
  }
  [part='summary'],
  [part='filters'] {
    flex-basis: 100%;
    margin: 0;
  }
  /* One column per provider, side by side while they fit (more providers wrap to a new row). */
  .columns {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 15em), 1fr));
    gap: 1em;
  }
  /* In a column, or when the element is narrow, the status goes under the name, not beside it
     (a column's provider is its heading). */
  .columns [part='appointment'],
  :host(:state(narrow)) [part='appointment'] {
    grid-template-columns: max-content minmax(0, 1fr);
  }
  .columns [part='status'],
  :host(:state(narrow)) [part='status'] {
    grid-area: auto / 2;
    justify-self: start;
  }
  .columns [part='provider'] {
    display: none;
  }
  :host([compact]) [part='appointment'] {
    gap: 0 0.5em;
    padding: 0.25em 0;
  }
  /* The sidebar keeps the status in view and the provider whole: the name wraps instead. */
  :host([compact]) .details {
    display: none;
  }
  /* In a sidebar or a narrow element the badge's words flow as one text (two lines at most),
     not as boxes that wrap one by one. */
  :host([compact]) [part='badge'],
  :host(:state(narrow)) [part='badge'] {
    flex-basis: 100%;
    display: block;
    border-radius: 0.5em;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
  }
`;

/** The element's style sheet made in other documents (the element moved into an iframe). */
const sheetsByDocument = new WeakMap<Document, CSSStyleSheet>();

/**
 * Moved into another document (a same-origin iframe's `adoptNode`), a shadow root loses the
 * style sheet made in this one: it gets one made in its new document (and this one back).
 */
export function adoptStylesIn(root: ShadowRoot): void {
  const sheet = styles.styleSheet;
  const doc = root.ownerDocument;
  const view = doc.defaultView as (Window & typeof globalThis) | null;
  if (!sheet || !view || !('adoptedStyleSheets' in root)) return;
  let own = view === window ? sheet : sheetsByDocument.get(doc);
  if (!own) {
    own = new view.CSSStyleSheet();
    own.replaceSync(styles.cssText);
    sheetsByDocument.set(doc, own);
  }
  if (root.adoptedStyleSheets[0] !== own) root.adoptedStyleSheets = [own];
}
