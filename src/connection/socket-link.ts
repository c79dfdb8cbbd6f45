/**
 * The socket link: one element's hold on the shared socket, and the socket's life
 * (`SocketLife`) as its public events tell it, through the state model's `nextLife`.
 * It keeps the socket-level metrics and log records (`metrics.connection`, `socket.*`,
 * `reconnect.*`).
 *
 * Only public Socket.IO events are read: `connect`, `disconnect`, `connect_error` on the
 * socket; `reconnect_attempt` and `reconnect_failed` on its Manager.
 *
 * - A server that closes the socket on purpose (`io server disconnect`) leaves it
 *   closed in Socket.IO; the front desk must not be left without it: it is reconnected
 *   after `reconnection-delay`.
 * - A `connect_error` after which Socket.IO stops (`socket.active` false) is a refusal
 *   by server middleware: `refused`, and the link closes — unless the server does not
 *   know the namespace ("Invalid namespace"): a configuration error, `gave-up`, so that
 *   polling goes on.
 */

import type { Socket } from 'socket.io-client';
import type { ErrorCause } from '../events.js';
import type { StructuredLogger } from '../logging.js';
import type { MetricsRecorder } from '../metrics.js';
import { Scope } from '../scope.js';
import { leaseSocket, type SocketLease, type SocketSettings, type TokenSource } from './socket.js';
import { FIRST_LIFE, nextLife, owesCatchUp, type LinkSignal, type SocketLife } from './state.js';

export interface SocketLinkOptions {
  readonly token: TokenSource;
  readonly metrics: MetricsRecorder;
  readonly log: StructuredLogger;
  readonly now: () => number;
  /**
   * The socket's life changed (or a retry began): `before` is the life it left, `reason`
   * a fixed word or Socket.IO's disconnect reason.
   */
  readonly changed: (signal: LinkSignal, before: SocketLife, reason: string) => void;
  /** A server event (`eventName`), its first argument. */
  readonly event: (payload: unknown) => void;
  /** Live updates stopped (`socket`) or the credentials were refused (`auth`). */
  readonly error: (cause: ErrorCause) => void;
}

/** What a `schedule-error` of kind `socket` says when live updates stop, by reason. */
/** Which socket to open and which event to follow. */
export interface LinkSettings {
  readonly socket: SocketSettings;
  readonly eventName: string;
}

/**
 * @example
 * ```ts
 * const link = new SocketLink({ token, metrics, log, now: Date.now, changed: (signal) => sync(link.life), event: apply });
 * link.open({ socket: settings, eventName: 'dashboard_schedule_updated' });
 * // … link.life.phase is 'connecting', then 'live', 'retrying', …
 * link.close();
 * ```
 */
export class SocketLink {
  readonly #options: SocketLinkOptions;
  #life: SocketLife = FIRST_LIFE;
  /** The socket held and its listeners: present while open (not after a refusal or `close()`). */
  #held?: { readonly lease: SocketLease; readonly scope: Scope; readonly settings: SocketSettings };

  constructor(options: SocketLinkOptions) {
    this.#options = options;
  }

  /** The socket's life: the one input of the state model that the socket decides. */
  get life(): SocketLife {
    return this.#life;
  }

  /** The socket in use, for diagnostics. */
  get socket(): Socket | undefined {
    return this.#held?.lease.socket;
  }

  /** Opens the socket anew with `settings` (closing the one held): start, new settings, after a refusal. */
  open(settings: LinkSettings): void {
    this.#release();
    this.#options.metrics.connection.currentAttempt = 0;
    this.#signal({ type: 'open' }, 'open');
    const lease = leaseSocket(settings.socket, this.#options.token);
    const scope = new Scope();
    this.#held = { lease, scope, settings: settings.socket };
    const { socket } = lease;
    scope.on(socket, 'connect', () => this.#connected());
    scope.on(socket, 'disconnect', (reason: string) => this.#disconnected(reason));
    scope.on(socket, 'connect_error', (error: Error) => this.#connectError(error));
    // Only the first argument: with connection state recovery, Socket.IO appends the event's
    // offset as an extra one, which is not part of the payload.
    scope.on(socket, settings.eventName, (payload: unknown) => this.#options.event(payload));
    scope.on(socket.io, 'reconnect_attempt', (attempt: number) => this.#attempt(attempt));
    scope.on(socket.io, 'reconnect_failed', () => this.#gaveUp());
    // A socket shared with another element may be up already.
    if (socket.connected) this.#connected();
  }

  /** Re-arms the socket now (after Socket.IO gave up, or to skip a backoff wait). */
  rearm(reason: string): void {
    const socket = this.socket;
    if (!socket || socket.connected) return;
    this.#options.log.info('socket.rearmed', { reason });
    socket.disconnect();
    socket.connect();
  }

  /** Makes this element's token the one the shared socket sends, and handshakes again. */
  rehandshake(): void {
    this.#held?.lease.rehandshake();
  }

  /** The server refused the credentials (handshake, or REST with `status`): the socket is let go until `open()`. */
  refuse(reason: string, status?: number): void {
    this.#release();
    this.#signal({ type: 'refused', ...(status !== undefined && { status }) }, reason);
  }

  /** Lets go of the socket (the last holder closes it) and starts over from `connecting`. */
  close(): void {
    this.#release();
    this.#life = FIRST_LIFE;
  }

  #release() {
    const held = this.#held;
    this.#held = undefined;
    held?.scope.dispose();
    held?.lease.release();
  }

  #signal(signal: LinkSignal, reason: string) {
    const before = this.#life;
    this.#life = nextLife(before, signal);
    this.#options.changed(signal, before, reason);
    if (signal.type === 'gave-up') {
      this.#options.error({ kind: 'socket', reason: reason === 'invalid-namespace' ? reason : 'reconnect-failed' });
    }
    if (signal.type === 'refused') this.#options.error({ kind: 'auth', reason: 'refused', status: signal.status });
  }

  #connected() {
    const { metrics, log, now } = this.#options;
    const connection = metrics.connection;
    const reconnect = connection.connects > 0;
    connection.connects += 1;
    // `recovered`: the server's connection state recovery replayed the events missed meanwhile.
    const recovered = reconnect && this.socket?.recovered === true;
    if (recovered) connection.recovered += 1;
    log.info('socket.connected', { recovering: owesCatchUp(this.#life), recovered });
    if (reconnect) {
      connection.successfulReconnects += 1;
      // Logged here rather than on the Manager's `reconnect`, which a re-armed socket never emits.
      const since = metrics.fallback.activeSince;
      log.info('reconnect.succeeded', {
        attempts: connection.currentAttempt,
        downMs: since ? now() - since.getTime() : undefined,
      });
    }
    connection.currentAttempt = 0;
    this.#signal({ type: 'connected' }, 'connected');
  }

  #disconnected(reason: string) {
    const connection = this.#options.metrics.connection;
    connection.disconnects += 1;
    connection.lastDisconnectReason = reason;
    this.#options.log.warn('socket.disconnected', { reason });
    if (reason === 'io client disconnect') return;
    this.#signal({ type: 'dropped' }, reason);
    const held = this.#held;
    if (reason === 'io server disconnect' && held) {
      held.scope.timeout(() => held.lease.socket.connect(), held.settings.reconnectionDelay);
    }
  }

  #connectError(error: Error | undefined) {
    if (this.socket?.active) {
      this.#signal({ type: 'connect-error' }, 'connect-error');
      return;
    }
    if (error?.message === 'Invalid namespace') {
      // A configuration error, not a refusal: live updates stop, polling goes on (re-armed now and then).
      this.#options.log.warn('socket.invalid-namespace');
      this.#signal({ type: 'gave-up' }, 'invalid-namespace');
      return;
    }
    // Refused by server middleware: Socket.IO will not retry, and neither do we.
    this.#options.log.warn('socket.refused');
    this.refuse('handshake-refused');
  }

  #attempt(attempt: number) {
    const connection = this.#options.metrics.connection;
    connection.reconnectAttempts += 1;
    connection.currentAttempt = attempt;
    this.#options.log.info('reconnect.attempt', { attempt, of: this.#held?.settings.reconnectionAttempts });
    this.#signal({ type: 'attempt', attempt }, 'rearmed');
  }

  #gaveUp() {
    const connection = this.#options.metrics.connection;
    connection.reconnectFailures += 1;
    this.#options.log.warn('reconnect.failed', { attempts: connection.currentAttempt });
    this.#signal({ type: 'gave-up' }, 'reconnect-failed');
  }
}
