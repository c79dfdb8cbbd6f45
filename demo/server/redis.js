// The reference backend on Redis (README, "Running several backend processes"): one Redis
// connection for the shared day (./store.js) and for Socket.IO's official Redis streams
// adapter, which carries every emit to the clients of every process and keeps the sessions
// that connection state recovery restores on whichever process a client reconnects to.
//
// `redis` (node-redis 5, the client the adapter is tested with) and
// `@socket.io/redis-streams-adapter` are optional dependencies, loaded here only, and only
// when Redis is asked for: a one-process backend in memory needs neither.
//
// Plain JavaScript with JSDoc so that Node runs it as it is.

import { createRedisStore } from './store.js';

/**
 * @typedef {object} RedisOptions
 * @property {string} url       e.g. `redis://127.0.0.1:6379`
 * @property {string} [prefix]  prefix of every key, stream and channel (default `schedule-dashboard:`),
 *                              so that several practices' backends may share one Redis
 * @property {import('./store.js').RawAppointment[]} [appointments] replaces the shared day when given
 * @property {string} [date]    replaces the shared date when given
 * @property {number} [streamMaxLen] events the stream keeps (default 10 000, the adapter's): a
 *                              client can recover only while its last event is still in it
 * @property {number} [connectTimeoutMs] give up starting after this long without Redis (default 10 000)
 */

/**
 * Connects to Redis; resolves when the connection is ready and the store is set up.
 * After that, a lost connection is retried forever (the adapter resumes its stream).
 *
 * @param {RedisOptions} options
 */
export async function connectRedis(options) {
  const prefix = options.prefix ?? 'schedule-dashboard:';
  let redis;
  let streams;
  try {
    [redis, streams] = await Promise.all([import('redis'), import('@socket.io/redis-streams-adapter')]);
  } catch (error) {
    throw new Error(
      'Redis mode needs the optional dependencies `redis` (5.x) and `@socket.io/redis-streams-adapter`: ' +
        `npm install redis@~5.10.0 @socket.io/redis-streams-adapter@^0.3.1 (${/** @type {Error} */ (error).message})`,
      { cause: error },
    );
  }

  const connectTimeoutMs = options.connectTimeoutMs ?? 10000;
  const startedAt = Date.now();
  let ready = false;
  let lastError = '';
  const client = redis.createClient({
    url: options.url,
    socket: {
      // While starting, fail rather than wait forever for a Redis that is not there; once
      // running, retry forever (100 ms, growing to 2 s): emits and REST wait for it meanwhile.
      // The adapter's own connections are duplicates of this one and share the rule.
      reconnectStrategy: (retries, cause) =>
        !ready && Date.now() - startedAt > connectTimeoutMs ? cause : Math.min(100 * 2 ** retries, 2000),
    },
  });
  client.on('error', (/** @type {Error} */ error) => {
    // One line per outage, not one per retry.
    if (error.message === lastError) return;
    lastError = error.message;
    console.warn(`schedule-dashboard backend: Redis: ${error.message}`);
  });
  client.on('ready', () => {
    ready = true;
    lastError = '';
  });
  await client.connect();

  const store = await createRedisStore(client, { prefix, appointments: options.appointments, date: options.date });
  const adapter = streams.createAdapter(client, {
    streamName: `${prefix}socket.io`,
    channelPrefix: `${prefix}socket.io`,
    sessionKeyPrefix: `${prefix}session:`,
    ...(options.streamMaxLen && { maxLen: options.streamMaxLen }),
  });

  return {
    client,
    store,
    /** The Socket.IO adapter factory, for `new Server({ adapter })`. */
    adapter,
    /** Closes the connection once every command sent (sessions being persisted) is answered. */
    async close() {
      if (client.isOpen) await client.close();
    },
  };
}
