/** A phrase with a count: the count as the language writes it, and its plural form (`Intl.PluralRules`). */
const counted = (phrase: (shown: string, form: Intl.LDMLPluralRule) => string) => phrase;

/**
 * English, the language every other falls back to key by key. A host sees every key here
 * (exported as `englishTranslation`) and registers another language with the same keys
 * (README, "Language"). Arguments are already formatted for the language: numbers by
 * `Intl.NumberFormat` (durations as units: "12 min", "30 sec"), times by `Intl.DateTimeFormat`.
 * Text from data (a room, a provider) arrives as a placeholder to keep in place: the element
 * isolates it for bidirectional display.
 */
export const englishTranslation = {
  $code: 'en',
  $name: 'English',
  $dir: 'ltr' as 'ltr' | 'rtl',

  heading: "Today's appointments",
  // The badge.
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: (attempt: string, attempts: string, every: string) => `Reconnecting (attempt ${attempt} of ${attempts}) · updating every ${every}`,
  /** The badge in a narrow sidebar (`compact`): without the attempt count. */
  reconnectingShort: (every: string) => `Reconnecting · updating every ${every}`,
  /**
   * Seconds as English writes them in the badge ("30 s"). A language without this key gets
   * `Intl.NumberFormat`'s short unit ("30 Sek.", "30 s"); minutes are always `Intl`'s.
   */
  seconds: (shown: string) => `${shown} s`,
  polling: (every: string) => `Live updates unavailable · updating every ${every}`,
  offline: 'Offline · showing the last known schedule',
  unauthorized: 'Sign-in required',
  updated: (time: string) => `Updated ${time}`,
  outOfDate: 'may be out of date',
  catchingUp: 'catching up',
  // The list.
  loading: "Loading today's appointments…",
  empty: 'No appointments today.',
  room: (room: string) => `Room ${room}`,
  noProvider: 'No provider',
  'status.scheduled': 'Scheduled',
  'status.confirmed': 'Confirmed',
  'status.checked-in': 'Checked in',
  'status.in-room': 'In room',
  'status.completed': 'Completed',
  'status.cancelled': 'Cancelled',
  'status.no-show': 'No show',
  // The flow board.
  now: (time: string) => `Now · ${time}`,
  next: 'Next',
  late: (duration: string) => `Late ${duration}`,
  waiting: (duration: string) => `Waiting ${duration}`,
  inRoom: (duration: string) => `In room ${duration}`,
  longWait: 'long wait',
  'count.booked': counted((shown) => `${shown} booked`),
  'count.waiting': counted((shown) => `${shown} waiting`),
  'count.in-room': counted((shown) => `${shown} in room`),
  'count.done': counted((shown) => `${shown} done`),
  'count.cancelled': counted((shown) => `${shown} cancelled`),
  'count.no-show': counted((shown, form) => (form === 'one' ? `${shown} no-show` : `${shown} no-shows`)),
  filtered: (shown: string, total: string) => `Filtered: showing ${shown} of ${total} appointments`,
  // Errors: the error line, then what the list still shows.
  loadFailed: (reason: string) => `Could not load today's appointments (${reason}).`,
  'reason.http': (status: string) => (status ? `server error, HTTP ${status}` : 'server error'),
  'reason.timeout': 'no answer in time',
  'reason.network': 'server unreachable',
  'reason.bad-json': 'not valid JSON',
  'reason.not-a-list': 'not a list of appointments',
  'reason.other-day': 'another day',
  'reason.unusable': 'the answer could not be used',
  'reason.too-large': 'the answer is too large',
  'reason.token': 'no sign-in token could be had',
  updateRejected: 'An update could not be used.',
  signInRequired: 'Sign-in required.',
  socketGaveUp: 'Live updates unavailable; polling.',
  unknownNamespace: 'Live updates unavailable: the server does not know this namespace; polling.',
  lastKnown: 'Showing the last known schedule.',
  // What the polite live region says.
  appointmentAt: (time: string) => `${time} appointment`,
  'did.removed': (who: string) => `${who} removed`,
  'did.updated': (who: string) => `${who} updated`,
  'did.scheduled': (who: string) => `${who} booked`,
  'did.confirmed': (who: string) => `${who} confirmed`,
  'did.checked-in': (who: string) => `${who} checked in`,
  'did.in-room': (who: string) => `${who} in the room`,
  'did.completed': (who: string) => `${who} done`,
  'did.cancelled': (who: string) => `${who} cancelled`,
  'did.no-show': (who: string) => `${who} did not come`,
  'did.other': (who: string, status: string) => `${who}: ${status}`,
  changed: counted((shown, form) => (form === 'one' ? `${shown} appointment changed` : `${shown} appointments changed`)),
};

/** A language for the element: every key of `englishTranslation` (missing ones fall back to English). */
export type ScheduleTranslation = { $code: string; $name: string; $dir: 'ltr' | 'rtl' } & Partial<Omit<typeof englishTranslation, '$code' | '$name' | '$dir'>>;
