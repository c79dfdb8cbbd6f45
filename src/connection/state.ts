/**
 * The state model, pure: the socket's life as one closed union, the browser's network
 * and visibility as values of their own, and everything else derived from them by
 * functions — the public `connectionState`, whether the fallback is active, whether
 * it polls. Nothing here keeps a flag that could disagree with the state.
 *
 * The table (README, "Connection states"):
 *
 * | socket life    | online          | offline |
 * |----------------|-----------------|---------|
 * | `connecting`   | `connecting`    | `offline` |
 * | `live`         | `live`          | `offline` |
 * | `retrying`     | `reconnecting`  | `offline` |
 * | `gave-up`      | `polling`       | `offline` |
 * | `refused`      | `unauthorized`  | `offline` |
 *
 * The fallback is active while the socket is `retrying` or has `gave-up`; it polls
 * only while the browser is online and the page visible.
 */

import { ConnectionState } from '../events.js';

/** The socket's life, from the element's point of view. */
export type SocketLife =
  /** A handshake is under way on a socket opened anew; `catchUp` once an outage preceded it. */
  | { readonly phase: 'connecting'; readonly catchUp: boolean }
  | { readonly phase: 'live' }
  /** Lost (or never reached); Socket.IO is retrying. `attempt` is 0 before its first retry. */
  | { readonly phase: 'retrying'; readonly attempt: number }
  /** Socket.IO used up its attempts (`reconnect_failed`); re-armed now and then. */
  | { readonly phase: 'gave-up' }
  /** The server refused the credentials (handshake or REST 401/403): no socket, no polling. */
  | { readonly phase: 'refused' };

export type Network = 'online' | 'offline';
export type Visibility = 'visible' | 'hidden';

/** Everything the connection state and the polling are derived from. */
export interface LinkView {
  readonly life: SocketLife;
  readonly network: Network;
  readonly visibility: Visibility;
}

/** What happened to the socket, as its public events tell it. */
export type LinkSignal =
  /** A socket was opened anew (start, new settings, `reconnect()` after a refusal). */
  | { readonly type: 'open' }
  | { readonly type: 'connected' }
  /** Disconnected by anything but this element. */
  | { readonly type: 'dropped' }
  /** A handshake failed and Socket.IO will retry. */
  | { readonly type: 'connect-error' }
  | { readonly type: 'attempt'; readonly attempt: number }
  | { readonly type: 'gave-up' }
  /** The credentials were refused: by the handshake, or by REST with HTTP `status`. */
  | { readonly type: 'refused'; readonly status?: number };

export const FIRST_LIFE: SocketLife = Object.freeze({ phase: 'connecting', catchUp: false });

/** True while the fallback is active: the socket is down and not refused. */
export function inFallback(life: SocketLife): boolean {
  return life.phase === 'retrying' || life.phase === 'gave-up';
}

/** True when the next connect must reconcile over REST: something may have been missed. */
export function owesCatchUp(life: SocketLife): boolean {
  return inFallback(life) || (life.phase === 'connecting' && life.catchUp);
}

/** The socket's life after `signal`. */
export function nextLife(life: SocketLife, signal: LinkSignal): SocketLife {
  switch (signal.type) {
    case 'open':
      return { phase: 'connecting', catchUp: owesCatchUp(life) };
    case 'connected':
      return { phase: 'live' };
    case 'dropped':
      return life.phase === 'retrying' ? life : { phase: 'retrying', attempt: 0 };
    case 'connect-error':
      // Before the first retry: fall back exactly as after a drop. Later ones change nothing.
      return life.phase === 'connecting' ? { phase: 'retrying', attempt: 0 } : life;
    case 'attempt':
      return { phase: 'retrying', attempt: signal.attempt };
    case 'gave-up':
      return { phase: 'gave-up' };
    case 'refused':
      return { phase: 'refused' };
  }
}

/** The public connection state (README, "Connection states"). */
export function connectionState({ life, network }: Pick<LinkView, 'life' | 'network'>): ConnectionState {
  if (network === 'offline') return ConnectionState.OFFLINE;
  switch (life.phase) {
    case 'connecting':
      return ConnectionState.CONNECTING;
    case 'live':
      return ConnectionState.LIVE;
    case 'retrying':
      return ConnectionState.RECONNECTING;
    case 'gave-up':
      return ConnectionState.POLLING;
    case 'refused':
      return ConnectionState.UNAUTHORIZED;
  }
}

/** True when the fallback fetches: active, online, and the page visible. */
export function shouldPoll({ life, network, visibility }: LinkView): boolean {
  return inFallback(life) && network === 'online' && visibility === 'visible';
}
