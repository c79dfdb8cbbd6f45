/**
 * The Socket.IO side: the exact Manager options (README, "Attributes and properties"), and one
 * shared Manager (one WebSocket) per server for every element on the page.
 *
 * Self-contained (only `socket.io-client` is imported), so that the benchmarks can load
 * this file alone and configure their clients exactly as the element does.
 */

import { Manager, type ManagerOptions, type Socket } from 'socket.io-client';

/** Everything that decides which socket an element needs. */
export interface SocketSettings {
  /** Origin of the Socket.IO server. */
  readonly serverUrl: string;
  /** With its leading slash: `/appointments`. */
  readonly namespace: string;
  readonly path: string;
  readonly transports: readonly string[];
  readonly reconnectionAttempts: number;
  readonly reconnectionDelay: number;
  readonly reconnectionDelayMax: number;
  readonly withCredentials: boolean;
}

/**
 * The Manager options the element uses, exported so that benchmarks and host tests
 * configure their clients exactly as the element does.
 */
export function managerOptions(settings: SocketSettings): Partial<ManagerOptions> {
  return {
    path: settings.path,
    transports: [...settings.transports] as ManagerOptions['transports'],
    autoConnect: true,
    reconnection: true,
    reconnectionDelay: settings.reconnectionDelay,
    reconnectionDelayMax: settings.reconnectionDelayMax,
    reconnectionAttempts: settings.reconnectionAttempts,
    withCredentials: settings.withCredentials,
    // Engine.IO starts every attempt with the first transport and moves on to the next only
    // with this: behind a proxy that refuses WebSocket upgrades, `websocket polling` must work.
    ...(settings.transports.length > 1 && { tryAllTransports: true }),
  };
}

/** The handshake's `auth`: the namespace without its slash, as the practice's backend expects it. */
export function handshakeAuth(namespace: string, token: string | undefined): { namespace: string; token?: string } {
  return { namespace: namespace.replace(/^\//, ''), token };
}

/** Answers the token to send, read when a handshake starts. */
export type TokenSource = () => Promise<string | undefined>;

/** One element's hold on a shared socket. */
export interface SocketLease {
  readonly socket: Socket;
  /**
   * Makes this holder's token the one the shared socket sends, and handshakes again so
   * that the server sees it (a new `authToken`).
   */
  rehandshake(): void;
  /** Lets go; the last holder disconnects the socket, which closes the Manager when it was its last. */
  release(): void;
}

interface SharedSocket {
  readonly socket: Socket;
  readonly holders: TokenSource[];
  /**
   * Socket.IO used up its attempts (`reconnect_failed`) and nobody re-armed it since:
   * told by the Manager's public events, never by its private fields.
   */
  gaveUp: boolean;
  /** Undoes the listeners that keep `gaveUp` true to the Manager's events. */
  readonly unwatch: () => void;
}

const managers = new Map<string, { manager: Manager; sockets: Map<string, SharedSocket> }>();

/** Keeps `shared.gaveUp` in step with the Manager: set by `reconnect_failed`, cleared by any new try. */
function watchGiveUp(socket: Socket): Pick<SharedSocket, 'gaveUp' | 'unwatch'> {
  const state = { gaveUp: false, unwatch: () => {} };
  const gaveUp = () => (state.gaveUp = true);
  const retrying = () => (state.gaveUp = false);
  socket.io.on('reconnect_failed', gaveUp);
  socket.io.on('reconnect_attempt', retrying);
  socket.on('connect', retrying);
  state.unwatch = () => {
    socket.io.off('reconnect_failed', gaveUp);
    socket.io.off('reconnect_attempt', retrying);
    socket.off('connect', retrying);
  };
  return state;
}

/**
 * Gives an element the socket for `settings`, shared with every other element that
 * names the same server and namespace. Socket.IO multiplexes namespaces over one
 * connection per Manager, and one namespace can only be joined once per connection,
 * so sharing is by (server, options) for the Manager and by namespace for the Socket.
 */
export function leaseSocket(settings: SocketSettings, token: TokenSource): SocketLease {
  const { namespace, ...managerSettings } = settings;
  const key = JSON.stringify(managerSettings);
  let entry = managers.get(key);
  if (!entry) {
    entry = { manager: new Manager(settings.serverUrl, managerOptions(settings)), sockets: new Map() };
    managers.set(key, entry);
  }
  let shared = entry.sockets.get(namespace);
  if (!shared) {
    const holders: TokenSource[] = [];
    const socket = entry.manager.socket(namespace, {
      // A function, so that each handshake (first and every retry) asks for a fresh token.
      auth: (callback) => {
        const source = holders[0];
        (source ? source() : Promise.resolve(undefined)).then(
          (value) => callback(handshakeAuth(namespace, value)),
          () => callback(handshakeAuth(namespace, undefined)),
        );
      },
    });
    // The state object is the SharedSocket itself, so that the watcher writes where it is read.
    shared = Object.assign(watchGiveUp(socket), { socket, holders });
    entry.sockets.set(namespace, shared);
  } else if (!shared.socket.active || shared.gaveUp) {
    // Refused, or given up on by Socket.IO: a new holder re-arms it rather than wait with it.
    shared.gaveUp = false;
    shared.socket.connect();
  }
  const held = shared;
  const { socket, holders } = held;
  holders.push(token);
  const owner = entry;
  let released = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  return {
    socket,
    rehandshake() {
      holders.splice(holders.indexOf(token), 1);
      holders.unshift(token);
      socket.disconnect();
      // Connect again once the old connection has finished closing: reopening in the same
      // tick lets its late close event start a second, stray reconnection.
      clearTimeout(reconnectTimer);
      reconnectTimer = setTimeout(() => socket.connect());
    },
    release() {
      if (released) return;
      released = true;
      clearTimeout(reconnectTimer);
      holders.splice(holders.indexOf(token), 1);
      if (holders.length > 0) return;
      held.unwatch();
      owner.sockets.delete(namespace);
      if (owner.sockets.size === 0) managers.delete(key);
      socket.disconnect();
    },
  };
}
