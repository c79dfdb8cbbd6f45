/**
 * The browser's side of the state model: network and page visibility, read once and
 * then followed through their events (never read again in between, so that the state
 * derived from them changes only when an event says so).
 */

import type { Scope } from '../scope.js';
import type { Network, Visibility } from './state.js';

export interface BrowserView {
  readonly network: Network;
  readonly visibility: Visibility;
}

/** What the browser says now. */
export function readBrowser(): BrowserView {
  return {
    network: navigator.onLine ? 'online' : 'offline',
    visibility: document.visibilityState === 'hidden' ? 'hidden' : 'visible',
  };
}

/**
 * Calls `changed` with the new view on `online`, `offline` and `visibilitychange`; the
 * listeners are undone with `scope`.
 */
export function watchBrowser(scope: Scope, changed: (view: BrowserView, cause: 'online' | 'offline' | 'visibilitychange') => void): void {
  scope.on(window, 'offline', () => changed(readBrowser(), 'offline'));
  scope.on(window, 'online', () => changed(readBrowser(), 'online'));
  scope.on(document, 'visibilitychange', () => changed(readBrowser(), 'visibilitychange'));
}
