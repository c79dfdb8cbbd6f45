import { css } from 'lit';

// Sizes in `em`, never `em`: they follow the host's font-size (a time stays on one line at any size).
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
  .stale {
    font-weight: 600;
  }
  [part='list'] {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  [part='appointment'] {
    display: grid;
    grid-template-columns: minmax(5.5em, max-content) minmax(0, 1fr) auto;
    gap: 0.15em 0.75em;
    padding: 0.5em 0;
    border-top: 1px solid #e4e7eb;
  }
  [part='time'],
  [part='patient'] {
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
  [part='metrics'],
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
    background: var(--schedule-dashboard-status-background, #eef1f4);
  }
  [data-status='cancelled'],
  [data-status='no-show'] {
    text-decoration: line-through;
    color: var(--_muted);
  }
  :host([compact]) [part='appointment'] {
    display: flex;
    align-items: baseline;
    gap: 0.5em;
    padding: 0.25em 0;
    white-space: nowrap;
  }
  :host([compact]) .who {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  :host([compact]) .details {
    display: none;
  }
  [part='metrics'] dl {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0 0.75em;
  }
  dd {
    margin: 0;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
  }
`;
