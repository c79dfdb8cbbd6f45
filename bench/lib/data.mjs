// Deterministic appointments for "today" (local time, which Node and Chromium share):
// the same seed gives the same day, so runs compare like with like.

const FIRST = ['Ada', 'Ben', 'Chloé', 'Dmitri', 'Emma', 'Farah', 'Gustav', 'Hana', 'Ivo', 'June', 'Kofi', 'Lena'];
const LAST = ['Okafor', 'Müller', 'Nguyen', 'García', 'Smith', 'Kowalska', 'Haddad', 'Tanaka', 'Olsen', 'Rossi'];
const PROVIDERS = ['Dr. Adler', 'Dr. Baptiste', 'Dr. Chen', 'Dr. Duarte'];
const TYPES = ['Check-up', 'Cleaning', 'Filling', 'Consultation', 'X-ray', 'Follow-up'];
export const STATUSES = ['scheduled', 'confirmed', 'checked-in', 'in-room', 'completed'];

/** A small seeded PRNG (mulberry32): reproducible, and enough for picking names. */
export function random(seed = 1) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` appointments between 07:00 and 19:00 today (local time): far enough from
 * midnight that "today" is the same day for the server, Node and the page.
 */
export function makeAppointments(n, seed = 42) {
  const rnd = random(seed);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const now = new Date();
  const opening = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 7).getTime();
  const span = 12 * 3600 * 1000;
  return Array.from({ length: n }, (_, i) => ({
    id: `a${i + 1}`,
    start: new Date(opening + Math.floor((i * span) / n)).toISOString(),
    patientName: `${pick(FIRST)} ${pick(LAST)}`,
    provider: pick(PROVIDERS),
    room: String(1 + Math.floor(rnd() * 8)),
    type: pick(TYPES),
    status: pick(STATUSES),
  }));
}

/**
 * An endless series of realistic changes to `day` (the list is updated in place): each
 * moves one appointment to another status, with an `updatedAt` later than any before,
 * so the element never drops it as out of order. Appointments are visited in a
 * scattered order so that changes land all over the list; with `index`, every change is
 * to that one appointment. Series that share `day` and `clock` (`{ stamp }`, epoch ms)
 * can be drawn from in turn: their `updatedAt`s follow one another.
 */
export function* changes(day, { index, clock = { stamp: Date.now() } } = {}) {
  let k = 0;
  for (;;) {
    const at = index ?? (k * 7919) % day.length;
    const held = day[at];
    const status = STATUSES[(STATUSES.indexOf(held.status) + 1) % STATUSES.length];
    clock.stamp += 1;
    const next = { ...held, status, updatedAt: new Date(clock.stamp).toISOString() };
    day[at] = next;
    k += 1;
    yield next;
  }
}
