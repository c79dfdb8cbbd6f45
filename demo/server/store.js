// Where the reference backend keeps the day: what REST serves and what `upsert`, `remove`,
// `setAppointments` and `setDate` change (README, "Running several backend processes").
//
// - In memory (the default): one process, answers at once. Its methods return plain values,
//   so a one-process backend keeps the synchronous behaviour host tests rely on.
// - In Redis (with `REDIS_URL`): every process of a cluster reads and writes one day, so REST
//   from any of them agrees with what the socket said. A hash of appointments (id → JSON) and
//   a version counter, changed together in one MULTI; its methods return promises.
//
// `await` works with both, and `andThen` chains without turning a plain value into a promise.
//
// Plain JavaScript with JSDoc so that Node runs it as it is.

import { randomBytes } from 'node:crypto';

/**
 * @typedef {Record<string, unknown> & { id: string | number }} RawAppointment
 *
 * @typedef {object} Day   the day as REST serves it
 * @property {RawAppointment[]} appointments
 * @property {number} version   raised by every change
 * @property {string} [date]
 * @property {string} etag      quoted, derived from the version
 *
 * @typedef {{ version: number, date?: string }} Written
 *
 * @typedef {object} Store
 * @property {'memory' | 'redis'} kind
 * @property {number} version  the latest version this process read or wrote
 * @property {() => Day | Promise<Day>} read
 * @property {(list: RawAppointment[]) => Written | Promise<Written>} replace
 * @property {(appointment: RawAppointment) => (Written & { action: 'created' | 'updated' }) | Promise<Written & { action: 'created' | 'updated' }>} upsert
 * @property {(id: string | number) => Written | Promise<Written>} remove
 * @property {(date: string | undefined) => Written | Promise<Written>} setDate
 */

/**
 * Runs `fn` on a value, or on what a promise resolves to: a plain value stays plain.
 * @template T, U
 * @param {T | Promise<T>} value
 * @param {(value: T) => U} fn
 * @returns {U | Promise<Awaited<U>>}
 */
export function andThen(value, fn) {
  return value instanceof Promise ? value.then(fn) : fn(value);
}

/**
 * The day in this process's memory.
 * @param {{ appointments?: RawAppointment[], date?: string }} [initial]
 * @returns {Store}
 */
export function createMemoryStore(initial = {}) {
  /** @type {Map<string, RawAppointment>} */
  let day = new Map();
  let version = 1;
  let date = initial.date;
  const written = () => ({ version, ...(date ? { date } : {}) });
  /** @type {Store} */
  const store = {
    kind: 'memory',
    get version() {
      return version;
    },
    read: () => ({ appointments: [...day.values()], version, ...(date ? { date } : {}), etag: `"v${version}"` }),
    replace(list) {
      day = new Map(list.map((a) => [String(a.id), a]));
      version += 1;
      return written();
    },
    upsert(appointment) {
      const action = day.has(String(appointment.id)) ? 'updated' : 'created';
      day.set(String(appointment.id), appointment);
      version += 1;
      return { action, ...written() };
    },
    remove(id) {
      day.delete(String(id));
      version += 1;
      return written();
    },
    setDate(value) {
      date = value;
      version += 1;
      return written();
    },
  };
  store.replace(initial.appointments ?? []);
  return store;
}

/**
 * The day in Redis, shared by every process given the same Redis and prefix.
 *
 * Keys: `<prefix>day` (hash: id → appointment JSON), `<prefix>version` (counter),
 * `<prefix>date`, `<prefix>epoch`. The ETag is `"<epoch>.<version>"`: the epoch is set
 * once per life of the data, so that a Redis emptied and filled again (its version counting
 * from 1 again) never answers 304 to an ETag of the old data. The order of the list is
 * insertion order for small days only (Redis keeps a hash of more than 128 fields
 * unordered); the element sorts by time anyway.
 *
 * @param {any} client  a connected `redis` (node-redis 5) client
 * @param {{ prefix?: string, appointments?: RawAppointment[], date?: string }} [options]
 *   `appointments` / `date`, when given, replace what Redis holds; when absent, the day
 *   already in Redis is kept (a process that restarts does not wipe its cluster's day).
 * @returns {Promise<Store>}
 */
export async function createRedisStore(client, options = {}) {
  const prefix = options.prefix ?? 'schedule-dashboard:';
  const keys = { day: `${prefix}day`, version: `${prefix}version`, date: `${prefix}date`, epoch: `${prefix}epoch` };
  let lastVersion = 0;

  /**
   * One transaction: the change, then the version raised, the epoch kept (or made), the
   * date read. Resolves to the change's own replies and what was written.
   * @param {(multi: any) => number} change  queues its commands, returns how many
   */
  const write = async (change) => {
    const multi = client.multi();
    const count = change(multi);
    multi.set(keys.epoch, randomBytes(6).toString('hex'), { condition: 'NX' }).incr(keys.version).get(keys.date);
    const replies = await multi.exec();
    const [version, date] = replies.slice(-2);
    lastVersion = Number(version);
    return { replies: replies.slice(0, count), written: { version: lastVersion, ...(date ? { date: String(date) } : {}) } };
  };

  /** @type {Store} */
  const store = {
    kind: 'redis',
    get version() {
      return lastVersion;
    },
    async read() {
      const [values, version, date, epoch] = await client.multi().hVals(keys.day).get(keys.version).get(keys.date).get(keys.epoch).exec();
      lastVersion = Number(version ?? 0);
      return {
        appointments: /** @type {string[]} */ (values).map((value) => JSON.parse(value)),
        version: lastVersion,
        ...(date ? { date: String(date) } : {}),
        etag: `"${epoch ?? '0'}.${lastVersion}"`,
      };
    },
    async replace(list) {
      const fields = Object.fromEntries(list.map((a) => [String(a.id), JSON.stringify(a)]));
      const { written } = await write((multi) => {
        multi.del(keys.day);
        if (list.length === 0) return 1;
        multi.hSet(keys.day, fields);
        return 2;
      });
      return written;
    },
    async upsert(appointment) {
      const { replies, written } = await write((multi) => {
        multi.hSet(keys.day, String(appointment.id), JSON.stringify(appointment));
        return 1;
      });
      // HSET answers how many fields it added: 1 for a new appointment, 0 for a changed one.
      return { action: Number(replies[0]) === 1 ? 'created' : 'updated', ...written };
    },
    async remove(id) {
      const { written } = await write((multi) => {
        multi.hDel(keys.day, String(id));
        return 1;
      });
      return written;
    },
    async setDate(value) {
      const { written } = await write((multi) => {
        if (value) multi.set(keys.date, value);
        else multi.del(keys.date);
        return 1;
      });
      return written;
    },
  };
  if (options.date !== undefined) await store.setDate(options.date);
  if (options.appointments) await store.replace(options.appointments);
  else await store.read();
  return store;
}
