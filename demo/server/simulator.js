// A clinic's day, simulated: about 40 appointments across four providers and several
// rooms, changing every few seconds the way a real front desk sees it (arrivals,
// check-ins, rooms, completions, new bookings, cancellations, no-shows), emitted in all
// three payload forms of CONTRACT §4.

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

let nextId = 1000;

/** A realistic day of about 40 appointments in `timeZone`. */
export function makeDay({ timeZone, random = Math.random, now = new Date() } = {}) {
  const day = dayKey(now, timeZone);
  const list = [];
  PROVIDERS.forEach((provider, p) => {
    for (let slot = 0; slot < 10; slot += 1) {
      const minutes = 8 * 60 + slot * 45 + (slot >= 5 ? 60 : 0);
      const start = instantIn(day, Math.floor(minutes / 60), minutes % 60, timeZone);
      const past = start.getTime() + 30 * 60000 < now.getTime();
      list.push({
        id: `apt-${nextId++}`,
        start: start.toISOString(),
        end: new Date(start.getTime() + 30 * 60000).toISOString(),
        patientName: `${pick(FIRST, random)} ${pick(LAST, random)}`,
        provider,
        room: ROOMS[p],
        type: pick(TYPES, random),
        status: past ? pick(['completed', 'completed', 'completed', 'no-show'], random) : pick(['scheduled', 'confirmed', 'confirmed'], random),
        updatedAt: new Date(now.getTime() - 3600000).toISOString(),
      });
    }
  });
  return list;
}

const NEXT_STATUS = { scheduled: 'confirmed', confirmed: 'checked-in', 'checked-in': 'in-room', 'in-room': 'completed' };

/**
 * Changes the backend's day every `everyMs`, emitting a change, a snapshot or a signal.
 * On a backend in memory each step happens at once; on Redis a step returns a promise, and
 * a step still under way when the next is due makes that one skip (Redis slow or away).
 * @param {ReturnType<typeof import('./backend.js').createBackend>} backend
 */
export function simulate(backend, { timeZone, everyMs = 4000, random = Math.random } = {}) {
  let day = dayKey(new Date(), timeZone);
  const started = andThen(backend.setDate(day), () => backend.setAppointments(makeDay({ timeZone, random })));
  let tick = 0;
  /** @param {Array<Record<string, any>>} list  the day as it is now */
  const change = (list) => {
    tick += 1;
    const today = dayKey(new Date(), timeZone);
    if (today !== day) {
      day = today;
      return andThen(backend.setDate(day), () => backend.setAppointments(makeDay({ timeZone, random }), { emit: 'snapshot' }));
    }
    const now = new Date().toISOString();
    const roll = random();
    if (tick % 10 === 0) {
      // Now and then a whole snapshot, as after a bulk import.
      return backend.setAppointments(list, { emit: 'snapshot' });
    }
    if (tick % 7 === 0) {
      // A signal: "something changed, ask me" (the change itself is silent).
      const target = pick(list, random);
      const moved = list.map((a) => (a === target ? { ...a, room: pick(ROOMS, random), updatedAt: now } : a));
      return backend.setAppointments(moved, { emit: 'signal' });
    }
    if (roll < 0.55) {
      const open = list.filter((a) => NEXT_STATUS[a.status]);
      const target = pick(open, random);
      if (target) return backend.upsert({ ...target, status: NEXT_STATUS[target.status], updatedAt: now });
    } else if (roll < 0.7) {
      const start = new Date(Date.now() + (1 + Math.floor(random() * 6)) * 30 * 60000);
      if (dayKey(start, timeZone) === day) {
        return backend.upsert({
          id: `apt-${nextId++}`,
          start: start.toISOString(),
          end: new Date(start.getTime() + 30 * 60000).toISOString(),
          patientName: `${pick(FIRST, random)} ${pick(LAST, random)}`,
          provider: pick(PROVIDERS, random),
          room: pick(ROOMS, random),
          type: pick(TYPES, random),
          status: 'scheduled',
          updatedAt: now,
        });
      }
    } else if (roll < 0.8) {
      const target = pick(list.filter((a) => a.status === 'scheduled' || a.status === 'confirmed'), random);
      if (target) return backend.upsert({ ...target, status: random() < 0.5 ? 'cancelled' : 'no-show', updatedAt: now });
    } else if (roll < 0.9) {
      const target = pick(list, random);
      if (target) return backend.upsert({ ...target, room: pick(ROOMS, random), updatedAt: now });
    } else {
      const target = pick(list.filter((a) => a.status === 'cancelled'), random);
      if (target) return backend.remove(target.id);
    }
    return undefined;
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
