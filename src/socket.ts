/**
 * The Socket.IO side: the exact options of CONTRACT §3, and one shared Manager (one
 * WebSocket) per server for every element on the page.
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
}

/**
 * True when the socket is neither connected nor being connected: Socket.IO gave up
 * (`reconnect_failed`) and the Manager sits closed. Reads two Manager fields that its
 * typings keep private; they are stable across socket.io-client 4.
 */
function isIdle(socket: Socket): boolean {
  const manager = socket.io as unknown as { _readyState: string; _reconnecting: boolean };
  return !socket.connected && manager._readyState === 'closed' && !manager._reconnecting;
}

const managers = new Map<string, { manager: Manager; sockets: Map<string, SharedSocket> }>();

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
    shared = { socket, holders };
    entry.sockets.set(namespace, shared);
  } else if (!shared.socket.active || isIdle(shared.socket)) {
    // Refused, or given up on by Socket.IO: a new holder re-arms it rather than wait with it.
    shared.socket.connect();
  }
  const { socket, holders } = shared;
  holders.push(token);
  const owner = entry;
  let released = false;
  return {
    socket,
    rehandshake() {
      holders.splice(holders.indexOf(token), 1);
      holders.unshift(token);
      socket.disconnect();
      // Connect again once the old connection has finished closing: reopening in the same
      // tick lets its late close event start a second, stray reconnection.
      setTimeout(() => released || socket.connect());
    },
    release() {
      if (released) return;
      released = true;
      holders.splice(holders.indexOf(token), 1);
      if (holders.length > 0) return;
      owner.sockets.delete(namespace);
      if (owner.sockets.size === 0) managers.delete(key);
      socket.disconnect();
    },
  };
}
