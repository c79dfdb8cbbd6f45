import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font-family: var(--schedule-dashboard-font-family, system-ui, sans-serif);
    font-size: var(--schedule-dashboard-font-size, 1rem);
    color: var(--schedule-dashboard-color, #1f2933);
    background: var(--schedule-dashboard-background, #fff);
    border: var(--schedule-dashboard-border, 1px solid #d9dee3);
    border-radius: var(--schedule-dashboard-radius, 8px);
    padding: var(--schedule-dashboard-padding, 1rem);
    --_live: var(--schedule-dashboard-live-color, #1b7a3d);
    --_warn: var(--schedule-dashboard-warning-color, #8a5300);
    --_bad: var(--schedule-dashboard-error-color, #b3261e);
    --_muted: var(--schedule-dashboard-muted-color, #52606d);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [part='header'] {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.5rem;
    margin-bottom: 0.75rem;
  }
  [part='heading'] {
    margin: 0;
    font-size: var(--schedule-dashboard-heading-size, 1.25rem);
  }
  [part='badge'] {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.35rem;
    font-size: 0.875rem;
    padding: 0.2rem 0.6rem;
    border-radius: 999px;
    border: 1px solid currentColor;
    color: var(--_muted);
  }
  .dot {
    width: 0.6rem;
    height: 0.6rem;
    border-radius: 50%;
    background: currentColor;
  }
  [data-state='live'] {
    color: var(--_live);
  }
  [data-state='reconnecting'],
  [data-state='polling'],
  [data-state='offline'] {
    color: var(--_warn);
  }
  [data-state='unauthorized'] {
    color: var(--_bad);
  }
  .stale {
    font-weight: 600;
  }
  [part='error'] {
    color: var(--_bad);
    margin: 0 0 0.75rem;
  }
  [part='list'] {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  [part='appointment'] {
    display: grid;
    grid-template-columns: 5.5rem 1fr auto;
    gap: 0.15rem 0.75rem;
    padding: 0.5rem 0;
    border-top: 1px solid var(--schedule-dashboard-divider-color, #e4e7eb);
  }
  [part='appointment']:first-child {
    border-top: none;
  }
  [part='time'] {
    font-variant-numeric: tabular-nums;
    font-weight: 600;
  }
  [part='patient'] {
    font-weight: 600;
  }
  .details {
    grid-column: 2;
    color: var(--_muted);
    font-size: 0.875rem;
  }
  [part='status'] {
    grid-column: 3;
    grid-row: 1;
    font-size: 0.8125rem;
    align-self: start;
    padding: 0.05rem 0.5rem;
    border-radius: 4px;
    background: var(--schedule-dashboard-status-background, #eef1f4);
  }
  [data-status='cancelled'],
  [data-status='no-show'] {
    text-decoration: line-through;
    color: var(--_muted);
  }
  [data-status='checked-in'] [part='status'],
  [data-status='in-room'] [part='status'] {
    background: var(--schedule-dashboard-active-background, #dff3e4);
  }
  :host([compact]) [part='appointment'] {
    display: flex;
    align-items: baseline;
    gap: 0.5rem;
    padding: 0.25rem 0;
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
  [part='empty'],
  .loading {
    color: var(--_muted);
    margin: 0;
  }
  [part='metrics'] {
    margin-top: 0.75rem;
    font-size: 0.8125rem;
    color: var(--_muted);
  }
  [part='metrics'] dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.15rem 0.75rem;
    margin: 0.5rem 0 0;
  }
  [part='metrics'] dd {
    margin: 0;
    font-variant-numeric: tabular-nums;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
