/**
 * Issue 13, language (README, "Language"): every word the element shows or announces in the
 * language of the nearest `lang`, German, French and Spanish shipped, a host's own language
 * registered at run time (English for what it leaves out), right-to-left mirrored. In Chromium
 * against the real backend. "No English left" is checked by scanning the shadow DOM's text for
 * the words of `englishTranslation` that the language does not share.
 */
import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { englishTranslation, registerTranslation, type ScheduleDashboard, type ScheduleTranslation } from '../src/schedule-dashboard.js';
import germanTranslation from '../src/i18n/de.js';
import { Backend, closeBackends, QUICK, requests, todayAt, uncaughtErrors, until, type RawAppointment } from './helpers.js';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

const uncaught = uncaughtErrors();
const mounted: HTMLElement[] = [];
const documentLang = document.documentElement.lang;
let clock: sinon.SinonFakeTimers | undefined;

/** Every word (three letters or more) a translation can show, lower case: its strings, and its phrases with their placeholders left out. */
function wordsOf(translation: Record<string, unknown>): Set<string> {
  const words = new Set<string>();
  for (const [key, value] of Object.entries(translation)) {
    if (key.startsWith('$')) continue;
    const texts = typeof value === 'function' ? ['one', 'other'].map((form) => value('\u0001', form, '\u0001')) : [value];
    for (const text of texts) for (const word of String(text).toLowerCase().match(/\p{L}{3,}/gu) ?? []) words.add(word);
  }
  return words;
}

/** The English words in the element's shadow DOM that `translation` does not share (it should find none). */
function englishLeft(el: ScheduleDashboard, translation: Record<string, unknown>): string[] {
  const own = wordsOf(translation);
  const english = [...wordsOf(englishTranslation)].filter((word) => !own.has(word));
  const shown = new Set(el.shadowRoot!.textContent!.toLowerCase().match(/\p{L}{3,}/gu) ?? []);
  return english.filter((word) => shown.has(word));
}

const folded = (node: Node | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const part = (el: ScheduleDashboard, name: string) => folded(el.shadowRoot!.querySelector(`[part="${name}"]`));
const all = (el: ScheduleDashboard, name: string) => [...el.shadowRoot!.querySelectorAll(`[part="${name}"]`)].map(folded);
const announcement = (el: ScheduleDashboard) => folded(el.shadowRoot!.querySelector('[aria-live="polite"]'));

/** Puts an element on the page with `attributes` (set before it connects), inside `parent`. */
async function mount(backend: Backend, attributes: Record<string, string> = {}, parent: HTMLElement = document.body): Promise<ScheduleDashboard> {
  const el = document.createElement('schedule-dashboard');
  const all: Record<string, string> = {
    'server-url': backend.url,
    'log-level': 'silent',
    'reconnection-delay': String(QUICK.reconnectionDelay),
    'reconnection-delay-max': String(QUICK.reconnectionDelayMax),
    ...attributes,
  };
  for (const [name, value] of Object.entries(all)) el.setAttribute(name, value);
  parent.append(el);
  mounted.push(parent === document.body ? el : parent);
  await el.updateComplete;
  return el;
}

/** Makes the browser look offline or online, then tells the page, as the browser does. */
function setOnline(online: boolean) {
  Object.defineProperty(navigator, 'onLine', { value: online, configurable: true });
  window.dispatchEvent(new Event(online ? 'online' : 'offline'));
}

/** A flow board at 10:00: late, waiting, in the room, and every status. */
function flowDay(): RawAppointment[] {
  return [
    { id: 'a', start: todayAt(8), patientName: 'Ada Ames', provider: 'Dr. Weber', room: '1', status: 'completed' },
    { id: 'c', start: todayAt(9), patientName: 'Cleo Cruz', provider: 'Dr. Weber', room: '1', status: 'no-show' },
    { id: 'd', start: todayAt(9, 15), patientName: 'Dan Dorn', provider: 'Dr. Osei', status: 'cancelled' },
    { id: 'e', start: todayAt(9, 20), patientName: 'Eva Ek', provider: 'Dr. Weber', room: '1', status: 'in-room', statusChangedAt: todayAt(9, 40) },
    { id: 'f', start: todayAt(9, 30), patientName: 'Finn Fox', provider: 'Dr. Osei', status: 'checked-in', arrivedAt: todayAt(9, 35) },
    { id: 'g', start: todayAt(9, 40), patientName: 'Gus Gale', provider: 'Dr. Osei', status: 'confirmed' },
    { id: 'h', start: todayAt(10, 30), patientName: 'Hal Hume', provider: 'Dr. Weber', status: 'scheduled' },
  ];
}

describe('language (issue 13)', () => {
  beforeEach(() => uncaught.start());

  afterEach(async () => {
    for (const el of mounted.splice(0)) el.remove();
    document.documentElement.lang = documentLang;
    clock?.restore();
    clock = undefined;
    setOnline(true);
    const errors = uncaught.stop();
    await closeBackends();
    expect(errors, 'uncaught errors').to.deep.equal([]);
  });

  it('should show a flow board in German under <html lang="de">: statuses, late and waiting, summary, next, now and the announcement', async () => {
    document.documentElement.lang = 'de';
    clock = sinon.useFakeTimers({
      now: Date.parse(todayAt(10)),
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
      shouldClearNativeTimers: true,
    });
    const backend = await Backend.start({ appointments: flowDay(), pingInterval: HOUR });
    const el = await mount(backend);
    await until(() => el.shadowRoot!.querySelectorAll('[part="appointment"]').length === 7, 'the day is shown');
    await until(() => part(el, 'badge').startsWith('Live'), 'live');

    const statuses = [...el.shadowRoot!.querySelectorAll('[part="status"]')].map(folded);
    expect(statuses).to.deep.equal(['Erledigt', 'Nicht erschienen', 'Abgesagt', 'Im Behandlungsraum', 'Angemeldet', 'Bestätigt', 'Gebucht']);
    expect(part(el, 'late')).to.equal('20 Min. verspätet'); // Gus Gale, confirmed for 9:40, not here at 10:00
    const waits = [...el.shadowRoot!.querySelectorAll('[part="wait"]')].map(folded);
    expect(waits).to.deep.equal(['Im Raum seit 20 Min.', 'Wartet seit 25 Min. · lange Wartezeit']);
    expect(part(el, 'summary')).to.equal('2 gebucht · 1 wartend · 1 im Raum · 1 erledigt · 1 abgesagt · 1 nicht erschienen');
    expect(folded(el.shadowRoot!.querySelector('.next'))).to.equal('Als Nächstes');
    expect(part(el, 'now')).to.equal('Jetzt · 10:00');
    expect(part(el, 'heading')).to.equal('Heutige Termine');
    expect(part(el, 'badge')).to.equal('Live · Aktualisiert 10:00');

    await backend.upsert({ id: 'h', start: todayAt(10, 30), patientName: 'Hal Hume', provider: 'Dr. Weber', status: 'checked-in' });
    await until(() => announcement(el) === 'Hal Hume angemeldet', 'the change announced in German');
    expect(englishLeft(el, germanTranslation)).to.deep.equal([]);

    // Two changes at once: a plural through Intl.PluralRules.
    const changed = flowDay().map((a) => (a.id === 'h' ? { ...a, status: 'checked-in' } : a.id === 'a' || a.id === 'c' ? { ...a, room: '9' } : a));
    await backend.setAppointments(changed, 'snapshot');
    await until(() => announcement(el) === '2 Termine geändert', 'two changes announced');
  });

  it('should say every connection state, the empty day and the errors in German, with no English left', async () => {
    document.documentElement.lang = 'de';
    const empty = await Backend.start({ appointments: [] });
    const quiet = await mount(empty);
    expect(part(quiet, 'badge')).to.equal('Verbindung wird hergestellt…');
    expect(folded(quiet.shadowRoot!.querySelector('.loading'))).to.equal('Heutige Termine werden geladen…');
    await until(() => part(quiet, 'empty') === 'Heute keine Termine.', 'the empty day');
    expect(englishLeft(quiet, germanTranslation)).to.deep.equal([]);

    const backend = await Backend.start({ appointments: flowDay().slice(0, 2) });
    const el = await mount(backend, { 'reconnection-attempts': '2' });
    await until(() => part(el, 'badge').startsWith('Live · Aktualisiert'), 'live');
    await backend.stopSockets();
    await until(() => part(el, 'badge').startsWith('Neue Verbindung (Versuch '), 'reconnecting');
    expect(part(el, 'badge')).to.match(/^Neue Verbindung \(Versuch [12] von 2\) · Aktualisierung alle 30 Sek\./);
    expect(englishLeft(el, germanTranslation)).to.deep.equal([]);
    await until(() => part(el, 'badge').startsWith('Live-Aktualisierung nicht verfügbar · Aktualisierung alle 30 Sek.'), 'polling');
    expect(englishLeft(el, germanTranslation)).to.deep.equal([]);

    setOnline(false);
    await until(() => part(el, 'badge').startsWith('Offline · letzter bekannter Stand'), 'offline');
    setOnline(true);

    await backend.setRestFault({ status: 500 });
    await el.refresh();
    await until(() => part(el, 'error') === 'Die heutigen Termine konnten nicht geladen werden (Serverfehler, HTTP 500). Angezeigt wird der letzte bekannte Stand.', 'fetch error');
    expect(englishLeft(el, germanTranslation)).to.deep.equal([]);

    await backend.setRestFault({ status: 401 });
    await el.refresh();
    await until(() => part(el, 'badge').startsWith('Anmeldung erforderlich'), 'unauthorized');
    expect(part(el, 'error')).to.equal('Anmeldung erforderlich. Angezeigt wird der letzte bekannte Stand.');
    expect(englishLeft(el, germanTranslation)).to.deep.equal([]);
    expect(await requests(backend)).to.be.greaterThan(1);
  });

  it('should take lang on the element over its ancestors and the document, and follow a change of it', async () => {
    document.documentElement.lang = 'de';
    const backend = await Backend.start({ appointments: flowDay().slice(5) });
    const el = await mount(backend, { lang: 'fr' });
    await until(() => part(el, 'badge').startsWith('En direct'), 'French on the element wins over German on the document');
    expect(part(el, 'heading')).to.equal('Rendez-vous du jour');

    const section = document.createElement('section');
    section.lang = 'es';
    document.body.append(section);
    const inner = await mount(backend, {}, section);
    await until(() => part(inner, 'heading') === 'Citas de hoy', 'Spanish from the nearest ancestor');

    el.lang = 'es';
    await until(() => part(el, 'heading') === 'Citas de hoy', 'a new lang re-renders the element');
    expect(el.getAttribute('lang')).to.equal('es');
    // The rows too, in that same render (they are drawn again only when what they show changes).
    expect(all(el, 'status')).to.deep.equal(['Confirmada', 'Reservada']);
    // Times follow the new language in that same render (the element has no `locale`).
    el.lang = 'en-US';
    await until(() => part(el, 'heading') === "Today's appointments", 'English');
    expect(part(el, 'badge')).to.match(/Updated \d{1,2}:\d\d [AP]M/);
    expect(all(el, 'status')).to.deep.equal(['Confirmed', 'Scheduled']);
    expect(all(el, 'time')).to.deep.equal(['9:40 AM', '10:30 AM']);
    el.removeAttribute('lang');
    await until(() => part(el, 'heading') === 'Heutige Termine', 'back to the document’s language');
  });

  it('should use a language the host registers, with English for the keys it leaves out', async () => {
    const dutch: ScheduleTranslation = {
      $code: 'nl',
      $name: 'Nederlands',
      $dir: 'ltr',
      heading: 'Afspraken van vandaag',
      'status.confirmed': 'Bevestigd',
      waiting: (duration) => `Wacht ${duration}`,
    };
    registerTranslation(dutch);
    const backend = await Backend.start({ appointments: flowDay().slice(5) });
    const el = await mount(backend, { lang: 'nl-BE' });
    await until(() => part(el, 'heading') === 'Afspraken van vandaag', 'the host’s heading');
    await until(() => part(el, 'status'), 'a row');
    expect(part(el, 'status')).to.equal('Bevestigd');
    await until(() => part(el, 'badge').startsWith('Live · Updated'), 'English for a key the host left out');
  });

  it('should mirror the layout under lang="ar": the time at the right, the status at the left', async () => {
    const backend = await Backend.start({ appointments: flowDay().slice(5, 6) });
    const el = await mount(backend, { lang: 'ar' });
    await until(() => el.shadowRoot!.querySelector('[part="appointment"]'), 'a row');
    const row = el.shadowRoot!.querySelector('[part="appointment"]')!;
    const time = row.querySelector('[part="time"]')!.getBoundingClientRect();
    const status = row.querySelector('[part="status"]')!.getBoundingClientRect();
    expect(getComputedStyle(row).direction).to.equal('rtl');
    expect(time.left, 'the time is on the right').to.be.greaterThan(status.right);

    el.lang = 'en';
    await until(() => getComputedStyle(row).direction === 'ltr', 'left to right again');
    const [t, s] = [row.querySelector('[part="time"]')!, row.querySelector('[part="status"]')!].map((n) => n.getBoundingClientRect());
    expect(t.right, 'the time is on the left').to.be.lessThan(s.left);
  });
});
