// A clinic's day, simulated: about 40 appointments across four providers and several
// rooms. Each appointment has a plan (when the patient arrives, some late, some never;
// how long they wait, some too long; how long they are in the room), and the day moves
// forward in time order relative to now: past rows are completed or no-show, current ones
// arriving, checked in, in a room; future ones booked or confirmed. To keep the demo lively
// each step may bring the next planned moment forward by a few minutes, never out of order.
// Changes go out in all three payload forms (a change, a whole snapshot, a bare signal),
// with `arrivedAt` and `statusChangedAt`.
import { andThen } from './store.js';

const PROVIDERS = ['Dr. Amara Chen', 'Dr. Luis Ortega', 'Dr. Sofia Novak', 'Hygienist Priya Shah'];
const ROOMS = ['1', '2', '3', '4', '5'];
const TYPES = ['Check-up', 'Cleaning', 'Filling', 'Consultation', 'Follow-up', 'X-ray', 'Vaccination', 'Crown fitting'];
const FIRST = ['Alice', 'Bruno', 'Chiara', 'Daniel', 'Elif', 'Farah', 'Gustav', 'Hana', 'Ivan', 'Jonas', 'Kaito', 'Lena', 'Mateo', 'Nadia', 'Omar', 'Paula', 'Quentin', 'Rosa', 'Samir', 'Tessa', 'Umar', 'Vera', 'Wen', 'Yara', 'Zoe'];
const LAST = ['Martin', 'Keller', 'Rossi', 'Okafor', 'Yilmaz', 'Haddad', 'Lind', 'Sato', 'Petrov', 'Berg', 'Tanaka', 'Meyer', 'Silva', 'Khan', 'Farouk', 'Costa', 'Dubois', 'Garcia', 'Nasser', 'Vos'];

/** The calendar day of `at` in `timeZone`, as YYYY-MM-DD. */
export function dayKey(at, timeZone) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const part = (type) => parts.find((p) => p.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The instant at which the wall clock in `timeZone` reads `day` `hh:mm`. */
function instantIn(day, hours, minutes, timeZone) {
  const guess = Date.parse(`${day}T${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}:00Z`);
  const shown = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).formatToParts(new Date(guess));
  const h = Number(shown.find((p) => p.type === 'hour')?.value);
  const m = Number(shown.find((p) => p.type === 'minute')?.value);
  const offset = (h * 60 + m - (hours * 60 + minutes)) * 60000;
  return new Date(guess - (((offset % 86400000) + 86400000 + 43200000) % 86400000 - 43200000));
}

/**
 * @param {() => number} random  a random source (Math.random by default)
 */
const pick = (list, random) => list[Math.floor(random() * list.length)];
const MINUTE = 60000;
/** How far ahead of its plan the simulated day may run (the demo's pace). */
const LEAD = 10 * MINUTE;

let nextId = 1000;

/**
 * When things happen to one appointment (epoch ms): the patient arrives, is called into
 * the room and leaves; or never comes, and is marked a no-show at `gone`.
 * @typedef {{ noShow: boolean, arrive: number, called: number, done: number, gone: number }} Plan
 */

/** @returns {Plan} */
function planFor(start, random) {
  const late = random() < 0.2;
  const arrive = start + (late ? 15 + random() * 25 : -(2 + random() * 13)) * MINUTE;
  const longWait = random() < 0.2;
  const called = Math.max(arrive, start) + (longWait ? 22 + random() * 20 : 2 + random() * 10) * MINUTE;
  return { noShow: random() < 0.08, arrive, called, done: called + (20 + random() * 25) * MINUTE, gone: start + 30 * MINUTE };
}

/** The moments of a plan at which the appointment's status changes, in order. */
const MOMENTS = /** @type {const} */ (['arrive', 'called', 'done']);
const moments = (plan) => (plan.noShow ? /** @type {const} */ (['gone']) : MOMENTS);

/**
 * The appointment as the front desk sees it at `t`: booked, checked in, in a room,
 * completed or no-show, with `arrivedAt` and `statusChangedAt`.
 */
function asAt(booking, plan, t) {
  const iso = (ms) => new Date(ms).toISOString();
  if (booking.status === 'cancelled') return booking;
  if (plan.noShow) return t >= plan.gone ? { ...booking, status: 'no-show', statusChangedAt: iso(plan.gone), updatedAt: iso(plan.gone) } : booking;
  if (t < plan.arrive) return booking;
  const arrived = { ...booking, arrivedAt: iso(plan.arrive) };
  if (t < plan.called) return { ...arrived, status: 'checked-in', statusChangedAt: iso(plan.arrive), updatedAt: iso(plan.arrive) };
  if (t < plan.done) return { ...arrived, status: 'in-room', statusChangedAt: iso(plan.called), updatedAt: iso(plan.called) };
  return { ...arrived, status: 'completed', statusChangedAt: iso(plan.done), updatedAt: iso(plan.done) };
}

/**
 * A day of about 40 bookings in `timeZone` (office hours 8:00–17:00, a lunch break), each
 * with its plan.
 * @returns {Array<{ booking: Record<string, any>, plan: Plan }>}
 */
function planDay({ timeZone, random = Math.random, now = new Date() }) {
  const day = dayKey(now, timeZone);
  const planned = [];
  PROVIDERS.forEach((provider, p) => {
    for (let slot = 0; slot < 10; slot += 1) {
      const minutes = 8 * 60 + slot * 45 + (slot >= 5 ? 60 : 0) + p * 5;
      const start = instantIn(day, Math.floor(minutes / 60), minutes % 60, timeZone);
      const booking = {
        id: `apt-${nextId++}`,
        start: start.toISOString(),
        end: new Date(start.getTime() + 30 * MINUTE).toISOString(),
        patientName: `${pick(FIRST, random)} ${pick(LAST, random)}`,
        provider,
        room: ROOMS[p],
        type: pick(TYPES, random),
        status: pick(['scheduled', 'confirmed', 'confirmed'], random),
        updatedAt: new Date(Math.min(now.getTime(), start.getTime()) - 3600000).toISOString(),
      };
      planned.push({ booking, plan: planFor(start.getTime(), random) });
    }
  });
  return planned;
}

/** A realistic day of about 40 appointments in `timeZone`, as it stands at `now`. */
export function makeDay({ timeZone, random = Math.random, now = new Date() } = {}) {
  return planDay({ timeZone, random, now }).map(({ booking, plan }) => asAt(booking, plan, now.getTime()));
}

/**
 * Changes the backend's day every `everyMs`: the next planned moment (an arrival, a call
 * into the room, a departure, a no-show) when one is due within a few minutes, else a new
 * booking, a cancellation or a room change; now and then a whole snapshot or a bare signal.
 * On a backend in memory each step happens at once; on Redis a step returns a promise, and
 * a step still under way when the next is due makes that one skip (Redis slow or away).
 * @param {ReturnType<typeof import('./backend.js').createBackend>} backend
 */
export function simulate(backend, { timeZone, everyMs = 4000, random = Math.random } = {}) {
  let day = dayKey(new Date(), timeZone);
  /** Every booking made today and its plan, by id. */
  const plans = new Map();
  const newDay = (emit) => {
    plans.clear();
    const now = new Date();
    for (const entry of planDay({ timeZone, random, now })) plans.set(entry.booking.id, entry);
    const list = [...plans.values()].map(({ booking, plan }) => asAt(booking, plan, now.getTime()));
    return andThen(backend.setDate(day), () => backend.setAppointments(list, emit ? { emit: 'snapshot' } : undefined));
  };
  const started = newDay(false);
  let tick = 0;

  /**
   * Brings the earliest moment still ahead, if it is due within LEAD, to now (a no-show is
   * never marked before ten minutes past its start).
   */
  const advance = (now) => {
    let next;
    for (const { booking, plan } of plans.values()) {
      if (booking.status === 'cancelled') continue;
      for (const key of moments(plan)) {
        const at = plan[key];
        if (at > now && at <= now + LEAD && (!next || at < next.at)) next = { plan, key, at, start: Date.parse(booking.start) };
      }
    }
    if (!next) return;
    next.plan[next.key] = next.key === 'gone' ? Math.max(now, next.start + 10 * MINUTE) : now;
  };

  /** @param {Array<Record<string, any>>} list  the day as it is now */
  const change = (list) => {
    tick += 1;
    const today = dayKey(new Date(), timeZone);
    if (today !== day) {
      day = today;
      return newDay(true);
    }
    const now = Date.now();
    const iso = new Date(now).toISOString();
    // Whatever the plans say has happened by now, in the order it happened.
    advance(now);
    const shown = new Map(list.map((a) => [a.id, a]));
    const due = [...plans.values()]
      .map(({ booking, plan }) => asAt(booking, plan, now))
      .filter((a) => shown.has(a.id) && (shown.get(a.id).status !== a.status))
      .sort((a, b) => Date.parse(a.statusChangedAt ?? a.updatedAt) - Date.parse(b.statusChangedAt ?? b.updatedAt));
    if (tick % 10 === 0) {
      // Now and then a whole snapshot, as after a bulk import.
      const byId = new Map(due.map((a) => [a.id, a]));
      return backend.setAppointments(list.map((a) => byId.get(a.id) ?? a), { emit: 'snapshot' });
    }
    if (tick % 7 === 0) {
      // A signal: "something changed, ask me" (the change itself is silent).
      const target = pick(list, random);
      const moved = list.map((a) => (a === target ? { ...a, room: pick(ROOMS, random), updatedAt: iso } : a));
      return backend.setAppointments(moved, { emit: 'signal' });
    }
    if (due.length) return due.reduce((previous, a) => andThen(previous, () => backend.upsert(a)), undefined);
    // Otherwise, now and then, what a front desk does between arrivals (a day holds at most 60 bookings).
    const roll = random();
    if (roll < 0.1 && list.length < 60) {
      // A booking later today, for a slot a little ahead.
      const start = new Date(Math.ceil((now + (1 + Math.floor(random() * 6)) * 30 * MINUTE) / (5 * MINUTE)) * 5 * MINUTE);
      if (dayKey(start, timeZone) !== day) return undefined;
      const booking = {
        id: `apt-${nextId++}`,
        start: start.toISOString(),
        end: new Date(start.getTime() + 30 * MINUTE).toISOString(),
        patientName: `${pick(FIRST, random)} ${pick(LAST, random)}`,
        provider: pick(PROVIDERS, random),
        room: pick(ROOMS, random),
        type: pick(TYPES, random),
        status: 'scheduled',
        updatedAt: iso,
      };
      plans.set(booking.id, { booking, plan: planFor(start.getTime(), random) });
      return backend.upsert(booking);
    }
    if (roll < 0.3) {
      // A booking confirmed, or cancelled, ahead of time.
      const target = pick(list.filter((a) => (a.status === 'scheduled' || a.status === 'confirmed') && Date.parse(a.start) > now + 30 * MINUTE), random);
      if (!target) return undefined;
      const status = target.status === 'scheduled' && random() < 0.7 ? 'confirmed' : 'cancelled';
      const entry = plans.get(target.id);
      if (entry) entry.booking = { ...entry.booking, status };
      return backend.upsert({ ...target, status, statusChangedAt: iso, updatedAt: iso });
    }
    if (roll < 0.45) {
      const target = pick(list.filter((a) => a.status !== 'completed' && a.status !== 'cancelled' && a.status !== 'no-show'), random);
      if (target) return backend.upsert({ ...target, room: pick(ROOMS, random), updatedAt: iso });
      return undefined;
    }
    if (roll > 0.5) return undefined;
    // A cancellation taken off the book.
    const target = pick(list.filter((a) => a.status === 'cancelled'), random);
    if (!target) return undefined;
    plans.delete(target.id);
    return backend.remove(target.id);
  };
  /** @type {Promise<unknown> | undefined} */
  let running;
  const step = () => {
    if (running) return running;
    const result = andThen(started, () => andThen(backend.snapshot(), ({ appointments }) => change(appointments)));
    if (!(result instanceof Promise)) return result;
    running = result
      .catch((error) => console.warn(`simulator: ${error.message}`))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(step, everyMs);
  return { stop: () => clearInterval(timer), step };
}
