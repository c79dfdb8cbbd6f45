/**
 * Issue 12, the flow board (README, "The flow board"): now and next, late, waiting, the
 * summary, filters, columns, kiosk, status colours and what changed. In Chromium against
 * the real backend; where time matters the page's clock is sinon's (faked before the
 * element exists, so that its minute tick is on that clock too). Every test asserts what a
 * front desk would notice: visible words, parts and data attributes, layout, colours.
 */
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import type { ScheduleDashboard } from '../src/schedule-dashboard.js';
import { Backend, closeBackends, evenDay, isLive, patients, QUICK, rows, sampleDay, todayAt, uncaughtErrors, until, type RawAppointment } from './helpers.js';

const MINUTE = 60 * 1000;
/** A heartbeat longer than any jump of the fake clock, so the socket never times out under it. */
const HOUR = 60 * MINUTE;

const uncaught = uncaughtErrors();
const mounted: HTMLElement[] = [];
let clock: sinon.SinonFakeTimers | undefined;

/** Fakes the page's clock from today at hh:mm (the element made afterwards ticks on it). */
function clockAt(hours: number, minutes = 0): sinon.SinonFakeTimers {
  clock = sinon.useFakeTimers({
    now: Date.parse(todayAt(hours, minutes)),
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    shouldClearNativeTimers: true,
  });
  return clock;
}

/** Moves the fake clock on by whole minutes, one shared tick each, and waits for the render. */
async function minutesLater(el: ScheduleDashboard, minutes: number) {
  await clock!.tickAsync(minutes * MINUTE);
  await el.updateComplete;
}

/** A backend whose heartbeat survives the fake clock. */
const backendWith = (appointments: RawAppointment[]) => Backend.start({ appointments, pingInterval: HOUR });

/** Puts an element on the page with `attributes` (set before it connects) and `style`. */
async function mount(backend: Backend, attributes: Record<string, string> = {}, style = ''): Promise<ScheduleDashboard> {
  const el = document.createElement('schedule-dashboard');
  const all: Record<string, string> = {
    'server-url': backend.url,
    'log-level': 'silent',
    locale: 'en-US',
    'reconnection-delay': String(QUICK.reconnectionDelay),
    'reconnection-delay-max': String(QUICK.reconnectionDelayMax),
    ...attributes,
  };
  for (const [name, value] of Object.entries(all)) el.setAttribute(name, value);
  el.setAttribute('style', style);
  document.body.append(el);
  mounted.push(el);
  await el.updateComplete;
  return el;
}

const folded = (node: Node | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const all = (root: ParentNode, selector: string) => [...root.querySelectorAll<HTMLElement>(selector)];
const appointmentRows = (el: ScheduleDashboard) => all(el.shadowRoot!, '[part="appointment"]');

/** The row of the patient named `name` (full names shown). */
function row(el: ScheduleDashboard, name: string): HTMLElement {
  const found = appointmentRows(el).find((li) => folded(li.querySelector('[part="patient"]')) === name);
  if (!found) throw new Error(`no row for ${name}`);
  return found;
}

/** The words of one part of a patient's row ('' when the row has no such part). */
const partOf = (el: ScheduleDashboard, name: string, part: string) => folded(row(el, name).querySelector(`[part="${part}"]`));

/** The patients whose rows carry the data attribute `flag`. */
const flagged = (el: ScheduleDashboard, flag: string) =>
  appointmentRows(el)
    .filter((li) => li.hasAttribute(flag))
    .map((li) => folded(li.querySelector('[part="patient"]')));

/** Each row with late or waiting words: patient → those words. */
function figures(el: ScheduleDashboard): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const li of appointmentRows(el)) {
    const words = all(li, '[part="late"], [part="wait"]').map(folded).join(' ');
    if (words) shown[folded(li.querySelector('[part="patient"]'))] = words;
  }
  return shown;
}

/** The list's items in order, as assistive technology reads them: patients, and "now". */
const sequence = (list: Element) =>
  [...list.querySelectorAll('[role="listitem"]')].map((item) => (item.getAttribute('part') === 'now' ? 'now' : folded(item.querySelector('[part="patient"]'))));

const summaryText = (el: ScheduleDashboard) => folded(el.shadowRoot!.querySelector('[part="summary"]'));
const announcement = (el: ScheduleDashboard) => folded(el.shadowRoot!.querySelector('[aria-live="polite"]'));
const nowMarker = (el: ScheduleDashboard) => el.shadowRoot!.querySelector<HTMLElement>('[part="now"]')!;

/** True when `inner` is drawn wholly inside `outer`'s box. */
function inView(inner: Element, outer: Element): boolean {
  const a = inner.getBoundingClientRect();
  const b = outer.getBoundingClientRect();
  return a.top >= b.top && a.bottom <= b.bottom;
}

/** Any CSS colour as 0–255 sRGB channels, as the browser paints it. */
function rgb(color: string): [number, number, number] {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.fillStyle = '#010203';
  context.fillStyle = color;
  if (context.fillStyle === '#010203' && color !== '#010203') throw new Error(`not a colour: ${color}`);
  context.fillRect(0, 0, 1, 1);
  const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
  return [r, g, b];
}

/** WCAG 2 contrast ratio of two colours. */
function contrast(a: string, b: string): number {
  const luminance = (color: string) => {
    const [r, g, b] = rgb(color).map((c) => {
      const s = c / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** A day with every status, two providers and three rooms (starts relative to 10:00). */
function busyDay(): RawAppointment[] {
  return [
    { id: 'a', start: todayAt(8), patientName: 'Ada Ames', provider: 'Dr. Chen', room: '1', status: 'completed' },
    { id: 'b', start: todayAt(8, 30), patientName: 'Ben Birk', provider: 'Dr. Osei', room: '2', status: 'completed' },
    { id: 'c', start: todayAt(9), patientName: 'Cleo Cruz', provider: 'Dr. Chen', room: '1', status: 'no-show' },
    { id: 'd', start: todayAt(9, 15), patientName: 'Dan Dorn', provider: 'Dr. Osei', room: '3', status: 'cancelled' },
    { id: 'e', start: todayAt(9, 30), patientName: 'Eva Ek', provider: 'Dr. Chen', room: '1', status: 'in-room' },
    { id: 'f', start: todayAt(9, 45), patientName: 'Finn Fox', provider: 'Dr. Osei', room: '2', status: 'checked-in' },
    { id: 'g', start: todayAt(10), patientName: 'Gus Gale', provider: 'Dr. Chen', room: '3', status: 'checked-in' },
    { id: 'h', start: todayAt(10, 30), patientName: 'Hal Hume', provider: 'Dr. Osei', room: '2', status: 'confirmed' },
    { id: 'i', start: todayAt(11), patientName: 'Ida Ivy', provider: 'Dr. Chen', room: '1', status: 'confirmed' },
    { id: 'j', start: todayAt(11, 30), patientName: 'Jo Jett', provider: 'Dr. Osei', room: '3', status: 'scheduled' },
  ];
}

describe('the flow board (issue 12)', () => {
  beforeEach(() => uncaught.start());

  afterEach(async () => {
    for (const el of mounted.splice(0)) el.remove();
    clock?.restore();
    clock = undefined;
    sinon.restore();
    const errors = uncaught.stop();
    await closeBackends();
    expect(errors, 'uncaught errors').to.deep.equal([]);
  });

  describe('late', () => {
    it('should say "Late n min" only once start is more than late-after ago, and follow late-after', async () => {
      clockAt(10);
      const backend = await backendWith([
        { id: 'done', start: todayAt(9), patientName: 'Dora Done', status: 'completed' },
        { id: 'here', start: todayAt(9, 30), patientName: 'Hana Here', status: 'checked-in', arrivedAt: todayAt(9, 58) },
        { id: 'late', start: todayAt(9, 49), patientName: 'Lars Late', status: 'scheduled' },
        { id: 'edge', start: todayAt(9, 50), patientName: 'Edda Edge', status: 'confirmed' },
        { id: 'soon', start: todayAt(10, 15), patientName: 'Sami Soon', status: 'confirmed' },
      ]);
      const el = await mount(backend);
      await until(() => rows(el).length === 5, 'five rows');

      // Exactly 10 minutes (the default late-after) is not late yet; 11 is.
      expect(flagged(el, 'data-late')).to.deep.equal(['Lars Late']);
      expect(partOf(el, 'Lars Late', 'late')).to.equal('Late 11 min');
      expect(partOf(el, 'Edda Edge', 'late')).to.equal('');
      // Arrived, finished or not started: never late.
      expect(partOf(el, 'Hana Here', 'late')).to.equal('');
      expect(partOf(el, 'Dora Done', 'late')).to.equal('');

      el.setAttribute('late-after', '5');
      await el.updateComplete;
      expect(flagged(el, 'data-late')).to.deep.equal(['Lars Late', 'Edda Edge']);
      expect(partOf(el, 'Edda Edge', 'late')).to.equal('Late 10 min');

      el.setAttribute('late-after', '11');
      await el.updateComplete;
      expect(flagged(el, 'data-late')).to.deep.equal([]);

      // A minute later Lars is 12 minutes past his start: late again, with the new figure.
      await minutesLater(el, 1);
      expect(flagged(el, 'data-late')).to.deep.equal(['Lars Late']);
      expect(partOf(el, 'Lars Late', 'late')).to.equal('Late 12 min');
    });
  });

  describe('a clock set back', () => {
    it('should show the day as it is at the new time when the clock is set back (by hand or by NTP), not as it was', async () => {
      clockAt(10, 30);
      const backend = await backendWith([
        { id: 'late', start: todayAt(10), patientName: 'Lars Late', status: 'confirmed' },
        { id: 'room', start: todayAt(9, 45), patientName: 'Rosa Room', status: 'in-room', statusChangedAt: todayAt(10, 10) },
        { id: 'soon', start: todayAt(11), patientName: 'Sami Soon', status: 'scheduled' },
      ]);
      const el = await mount(backend);
      await until(() => rows(el).length === 3, 'three rows');
      expect(partOf(el, 'Lars Late', 'late')).to.equal('Late 30 min');
      expect(partOf(el, 'Rosa Room', 'wait')).to.equal('In room 20 min');

      // The wall screen ran an hour fast: at 10:31 it is set back to 9:31.
      clock!.setSystemTime(Date.parse(todayAt(9, 31)));
      await minutesLater(el, 1);
      expect(folded(nowMarker(el))).to.equal('Now · 9:32 AM');
      expect(flagged(el, 'data-late'), 'not started yet: not late').to.deep.equal([]);
      expect(partOf(el, 'Lars Late', 'late')).to.equal('');
      expect(flagged(el, 'data-next')).to.deep.equal(['Lars Late']);
      expect(partOf(el, 'Rosa Room', 'wait')).to.equal('In room 0 min');
    });
  });

  describe('waiting', () => {
    it('should count the wait from arrivedAt, else statusChangedAt, else the moment it saw the check-in, flag it past wait-alert, and advance each minute', async () => {
      clockAt(10);
      const backend = await backendWith([
        { id: 'room', start: todayAt(9, 15), patientName: 'Rosa Room', status: 'in-room', arrivedAt: todayAt(9, 10), statusChangedAt: todayAt(9, 30) },
        { id: 'arrived', start: todayAt(9, 45), patientName: 'Arno Arrived', status: 'checked-in', arrivedAt: todayAt(9, 46), statusChangedAt: todayAt(9, 55) },
        { id: 'changed', start: todayAt(9, 50), patientName: 'Cora Changed', status: 'checked-in', statusChangedAt: todayAt(9, 44) },
        { id: 'seen', start: todayAt(10, 30), patientName: 'Sven Seen', status: 'confirmed' },
      ]);
      const el = await mount(backend);
      await until(isLive(el), 'live');
      await until(() => rows(el).length === 4, 'four rows');

      expect(figures(el)).to.deep.equal({
        // In the room since statusChangedAt, not since arrival; a long time in the room is no alert.
        'Rosa Room': 'In room 30 min',
        // arrivedAt wins over statusChangedAt.
        'Arno Arrived': 'Waiting 14 min',
        'Cora Changed': 'Waiting 16 min · long wait',
      });
      expect(flagged(el, 'data-wait-alert')).to.deep.equal(['Cora Changed']);
      const alertColour = getComputedStyle(row(el, 'Cora Changed').querySelector('[part="wait"]')!).color;
      expect(getComputedStyle(row(el, 'Arno Arrived').querySelector('[part="wait"]')!).color, 'the alert is a colour too').not.to.equal(alertColour);

      // At 10:02 the desk checks Sven in; the event carries no time: his wait starts when the element saw it.
      await minutesLater(el, 2);
      await backend.upsert({ id: 'seen', start: todayAt(10, 30), patientName: 'Sven Seen', status: 'checked-in' });
      await until(() => partOf(el, 'Sven Seen', 'wait') === 'Waiting 0 min', 'Sven waits from 10:02');

      // Every figure advances on the same minute tick; exactly 15 minutes is not past wait-alert.
      await minutesLater(el, 1);
      expect(figures(el)).to.deep.equal({
        'Rosa Room': 'In room 33 min',
        'Arno Arrived': 'Waiting 17 min · long wait',
        'Cora Changed': 'Waiting 19 min · long wait',
        'Sven Seen': 'Waiting 1 min',
      });
      await minutesLater(el, 2);
      expect(figures(el)).to.deep.equal({
        'Rosa Room': 'In room 35 min',
        'Arno Arrived': 'Waiting 19 min · long wait',
        'Cora Changed': 'Waiting 21 min · long wait',
        'Sven Seen': 'Waiting 3 min',
      });

      el.setAttribute('wait-alert', '19');
      await el.updateComplete;
      expect(flagged(el, 'data-wait-alert'), 'exactly wait-alert minutes is not flagged').to.deep.equal(['Cora Changed']);
      await minutesLater(el, 1);
      expect(flagged(el, 'data-wait-alert')).to.deep.equal(['Arno Arrived', 'Cora Changed']);
    });

    it('should advance every row on one shared tick: more rows start no more timers', async () => {
      clockAt(10);
      const waiting = (n: number): RawAppointment[] =>
        Array.from({ length: n }, (_, i) => ({ id: i, start: todayAt(9, i), patientName: `Pat ${i}`, status: 'checked-in', arrivedAt: todayAt(9, 30) }));
      const backend = await backendWith(waiting(2));
      const el = await mount(backend);
      await until(isLive(el), 'live');
      await until(() => rows(el).length === 2, 'two rows');
      const timers = clock!.countTimers();

      await backend.setAppointments(waiting(30), 'snapshot');
      await until(() => rows(el).length === 30, 'thirty rows');
      // The highlight of what changed has one timer for all rows; once it is over, none is left.
      await minutesLater(el, 1);
      expect(clock!.countTimers()).to.be.at.most(timers);
      expect(new Set(Object.values(figures(el)))).to.deep.equal(new Set(['Waiting 31 min · long wait']));
    });
  });

  describe('now and next', () => {
    it('should put one now marker between started and not-started rows, mark the next patient not yet here, and move both with the clock', async () => {
      clockAt(10);
      const backend = await backendWith([
        { id: 1, start: todayAt(9), patientName: 'Done Dee', status: 'completed' },
        { id: 2, start: todayAt(9, 30), patientName: 'Room Roy', status: 'in-room' },
        { id: 3, start: todayAt(9, 50), patientName: 'Started Sue', status: 'confirmed' },
        { id: 4, start: todayAt(10, 15), patientName: 'Early Eli', status: 'checked-in', arrivedAt: todayAt(9, 55) },
        { id: 5, start: todayAt(10, 30), patientName: 'Next Nia', status: 'confirmed' },
        { id: 6, start: todayAt(11), patientName: 'Later Leo', status: 'scheduled' },
      ]);
      const el = await mount(backend);
      await until(isLive(el), 'live');
      await until(() => rows(el).length === 6, 'six rows');
      const list = el.shadowRoot!.querySelector('[part="list"]')!;

      expect(all(el.shadowRoot!, '[part="now"]')).to.have.length(1);
      expect(sequence(list)).to.deep.equal(['Done Dee', 'Room Roy', 'Started Sue', 'now', 'Early Eli', 'Next Nia', 'Later Leo']);
      expect(folded(nowMarker(el))).to.equal('Now · 10:00 AM');
      // Early Eli has arrived already: the next one to expect is Nia.
      expect(flagged(el, 'data-next')).to.deep.equal(['Next Nia']);
      expect(folded(row(el, 'Next Nia'))).to.contain('Next');

      await minutesLater(el, 20);
      expect(all(el.shadowRoot!, '[part="now"]')).to.have.length(1);
      expect(sequence(list)).to.deep.equal(['Done Dee', 'Room Roy', 'Started Sue', 'Early Eli', 'now', 'Next Nia', 'Later Leo']);
      expect(folded(nowMarker(el))).to.equal('Now · 10:20 AM');

      await backend.upsert({ id: 5, start: todayAt(10, 30), patientName: 'Next Nia', status: 'checked-in' });
      await until(() => flagged(el, 'data-next').join() === 'Later Leo', 'Nia arrived: Leo is next');
      expect(all(el.shadowRoot!, '[data-next]')).to.have.length(1);
    });
  });

  describe('summary', () => {
    it('should count what is shown per status in words, follow the filters, and go with hide-summary', async () => {
      const backend = await Backend.start({ appointments: busyDay() });
      const el = await mount(backend);
      await until(() => rows(el).length === 10, 'ten rows');
      expect(summaryText(el)).to.equal('3 booked · 2 waiting · 1 in room · 2 done · 1 cancelled · 1 no-show');
      expect(all(el.shadowRoot!, '[part="summary"] [part="count"]').map((c) => [c.dataset.status, folded(c)])).to.deep.equal([
        ['booked', '3 booked'],
        ['waiting', '2 waiting'],
        ['in-room', '1 in room'],
        ['done', '2 done'],
        ['cancelled', '1 cancelled'],
        ['no-show', '1 no-show'],
      ]);

      el.setAttribute('providers', 'Dr. Osei');
      await el.updateComplete;
      expect(summaryText(el)).to.equal('2 booked · 1 waiting · 1 done · 1 cancelled');

      el.filter = (a) => a.status !== 'completed';
      await el.updateComplete;
      expect(summaryText(el)).to.equal('2 booked · 1 waiting · 1 cancelled');

      el.setAttribute('hide-summary', '');
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part="summary"]')).to.equal(null);
      expect(el.shadowRoot!.querySelector('[part="count"]')).to.equal(null);
      expect(rows(el)).to.have.length(4);

      el.hideSummary = false;
      await el.updateComplete;
      expect(summaryText(el)).to.equal('2 booked · 1 waiting · 1 cancelled');
    });
  });

  describe('filters', () => {
    it('should show only the providers, rooms and statuses listed (commas or newlines), and what the filter property keeps', async () => {
      const backend = await Backend.start({ appointments: busyDay() });
      const el = await mount(backend);
      await until(() => rows(el).length === 10, 'ten rows');
      const shown = async () => {
        await el.updateComplete;
        return patients(el);
      };

      const filtersNote = () => folded(el.shadowRoot!.querySelector('[part="filters"]'));
      expect(filtersNote()).to.equal('');

      el.setAttribute('providers', 'Dr. Osei');
      expect(await shown()).to.deep.equal(['Ben Birk', 'Dan Dorn', 'Finn Fox', 'Hal Hume', 'Jo Jett']);
      expect(filtersNote(), 'a filtered board says so').to.equal('Filtered: showing 5 of 10 appointments');
      // Commas or newlines, spaces around items and case do not matter.
      el.setAttribute('providers', ' dr. chen ,\n Dr. Osei ');
      expect(await shown()).to.have.length(10);
      el.removeAttribute('providers');

      el.setAttribute('rooms', '1\n3');
      expect(await shown()).to.deep.equal(['Ada Ames', 'Cleo Cruz', 'Dan Dorn', 'Eva Ek', 'Gus Gale', 'Ida Ivy', 'Jo Jett']);
      el.setAttribute('rooms', '2');
      expect(await shown()).to.deep.equal(['Ben Birk', 'Finn Fox', 'Hal Hume']);
      el.removeAttribute('rooms');

      el.setAttribute('statuses', 'checked-in,in-room');
      expect(await shown()).to.deep.equal(['Eva Ek', 'Finn Fox', 'Gus Gale']);
      // Together: every filter must hold.
      el.setAttribute('providers', 'Dr. Chen');
      expect(await shown()).to.deep.equal(['Eva Ek', 'Gus Gale']);
      el.removeAttribute('providers');
      el.removeAttribute('statuses');
      expect(await shown()).to.have.length(10);
      expect(filtersNote()).to.equal('');

      el.filter = (a) => a.room === '3';
      expect(await shown()).to.deep.equal(['Dan Dorn', 'Gus Gale', 'Jo Jett']);
      el.setAttribute('statuses', 'scheduled\nconfirmed');
      expect(await shown()).to.deep.equal(['Jo Jett']);
      el.filter = undefined;
      expect(await shown()).to.deep.equal(['Hal Hume', 'Ida Ivy', 'Jo Jett']);

      // Filtered out on screen only: the element still holds the whole day.
      expect(el.appointments).to.have.length(10);
    });
  });

  describe('columns', () => {
    it('should show one column per provider, headed by the provider and sorted by start, and the list below 40em', async () => {
      const backend = await Backend.start({
        appointments: [
          ...busyDay(),
          { id: 'k', start: todayAt(7, 45), patientName: 'Kai Kent', provider: 'Dr. Osei', room: '2', status: 'completed' },
          { id: 'l', start: todayAt(12), patientName: 'Lea Lund', provider: 'Dr. Park', room: '4', status: 'scheduled' },
        ],
      });
      const el = await mount(backend, { layout: 'columns' }, 'width: 1200px');
      await until(() => rows(el).length === 12, 'twelve rows');

      const columns = all(el.shadowRoot!, '[part="column"]');
      expect(columns.map((column) => [folded(column.querySelector('h3')), all(column, '[part="patient"]').map(folded)])).to.deep.equal([
        ['Dr. Osei', ['Kai Kent', 'Ben Birk', 'Dan Dorn', 'Finn Fox', 'Hal Hume', 'Jo Jett']],
        ['Dr. Chen', ['Ada Ames', 'Cleo Cruz', 'Eva Ek', 'Gus Gale', 'Ida Ivy']],
        ['Dr. Park', ['Lea Lund']],
      ]);
      // Each column is a labelled region, named by its provider.
      for (const column of columns) {
        expect(column.getAttribute('aria-labelledby')).to.equal(column.querySelector('h3')!.id);
      }
      // Wide: side by side, on one row.
      const wide = columns.map((column) => column.getBoundingClientRect());
      expect(new Set(wide.map((box) => Math.round(box.top))).size, 'columns share one top').to.equal(1);
      expect(wide[0].right).to.be.lessThanOrEqual(wide[1].left);
      expect(wide[1].right).to.be.lessThanOrEqual(wide[2].left);

      // Narrow (below 40em of the element's own width): the one list, every provider's rows by start.
      el.style.width = '36em';
      await until(() => el.shadowRoot!.querySelector('[part="column"]') === null, 'the list');
      expect(all(el.shadowRoot!, '[part="list"]')).to.have.length(1);
      expect(patients(el)).to.deep.equal(['Kai Kent', 'Ada Ames', 'Ben Birk', 'Cleo Cruz', 'Dan Dorn', 'Eva Ek', 'Finn Fox', 'Gus Gale', 'Hal Hume', 'Ida Ivy', 'Jo Jett', 'Lea Lund']);
      expect(el.scrollWidth).to.be.at.most(el.clientWidth);

      el.style.width = '1200px';
      await until(() => all(el.shadowRoot!, '[part="column"]').length === 3, 'columns again');
      const again = all(el.shadowRoot!, '[part="column"]').map((column) => column.getBoundingClientRect());
      expect(new Set(again.map((box) => Math.round(box.top))).size, 'side by side again').to.equal(1);

      el.setAttribute('layout', 'list');
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part="column"]')).to.equal(null);
      expect(patients(el)).to.have.length(12);
    });
  });

  describe('kiosk', () => {
    it('should keep now in view each minute, unless a person scrolled in the last 2 minutes, with larger type and no diagnostics', async () => {
      clockAt(13);
      const day = evenDay(30, 3, () => 'confirmed');
      const backend = await backendWith(day);
      // A wall screen gives the element its height (README, "Kiosk"); the element scrolls itself.
      const el = await mount(backend, { kiosk: '' }, 'height: 20em');
      await until(() => rows(el).length === 30, 'thirty rows');
      await until(() => inView(nowMarker(el), el), 'now scrolled into view').catch((e) => {
        const a = nowMarker(el).getBoundingClientRect();
        const b = el.getBoundingClientRect();
        throw new Error(`${e.message} scrollTop=${el.scrollTop} scrollHeight=${el.scrollHeight} marker=${a.top},${a.bottom} el=${b.top},${b.bottom} visible=${document.visibilityState}`);
      });
      expect(el.scrollTop).to.be.above(0);
      expect(window.scrollY, 'the page itself is left alone').to.equal(0);

      // Larger type than the page's.
      expect(parseFloat(getComputedStyle(el).fontSize)).to.be.above(parseFloat(getComputedStyle(document.body).fontSize));

      // A person scrolls to the morning (by keyboard: the kiosk's box is a tab stop); the board leaves it there for 2 minutes.
      expect(el.tabIndex).to.equal(0);
      el.focus();
      await sendKeys({ press: 'Home' });
      await until(() => el.scrollTop === 0, 'scrolled to the morning');
      await minutesLater(el, 1);
      expect(folded(nowMarker(el))).to.equal('Now · 1:01 PM');
      expect(el.scrollTop).to.equal(0);
      expect(inView(nowMarker(el), el)).to.equal(false);
      // Two minutes after the person's scroll, the next tick brings now back.
      await minutesLater(el, 1);
      expect(folded(nowMarker(el))).to.equal('Now · 1:02 PM');
      expect(inView(nowMarker(el), el)).to.equal(true);

      // Moved away without a person (a script scrolled it): back on the next minute.
      el.scrollTop = 0;
      await minutesLater(el, 1);
      expect(inView(nowMarker(el), el)).to.equal(true);

      el.removeAttribute('kiosk');
      await el.updateComplete;
      expect(el.hasAttribute('tabindex'), 'no tab stop outside kiosk').to.equal(false);
    });
  });

  describe('status colours', () => {
    it('should give each status its own colour with AA contrast, its word beside it, and take --schedule-dashboard-status-<status>-color', async () => {
      const statuses = ['scheduled', 'confirmed', 'checked-in', 'in-room', 'completed', 'cancelled', 'no-show'];
      const backend = await Backend.start({
        appointments: statuses.map((status, i) => ({ id: status, start: todayAt(8 + i), patientName: `Pat ${status}`, status })),
      });
      const el = await mount(backend);
      await until(() => rows(el).length === 7, 'seven rows');
      const chip = (status: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part="status"][data-status="${status}"]`)!;
      const colours = statuses.map((status) => getComputedStyle(chip(status)).color);

      expect(new Set(colours.map((colour) => rgb(colour).join())).size, 'seven distinct colours').to.equal(7);
      expect(statuses.map((status) => folded(chip(status)))).to.deep.equal(['Scheduled', 'Confirmed', 'Checked in', 'In room', 'Completed', 'Cancelled', 'No show']);
      const background = getComputedStyle(el).backgroundColor;
      for (const status of statuses) {
        const style = getComputedStyle(chip(status));
        expect(contrast(style.color, style.backgroundColor), `${status} on its chip`).to.be.at.least(4.5);
        expect(contrast(style.color, background), `${status} on the background`).to.be.at.least(4.5);
      }

      el.style.setProperty('--schedule-dashboard-status-in-room-color', 'rgb(0, 80, 120)');
      const themed = statuses.map((status) => getComputedStyle(chip(status)).color);
      const inRoom = statuses.indexOf('in-room');
      expect(rgb(themed[inRoom])).to.deep.equal([0, 80, 120]);
      expect(themed.filter((_, i) => i !== inRoom), 'the other statuses keep theirs').to.deep.equal(colours.filter((_, i) => i !== inRoom));
    });
  });

  describe('what changed', () => {
    it('should keep a row’s DOM node when a row is inserted above it', async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const el = await mount(backend);
      await until(isLive(el), 'live');
      await until(() => rows(el).length === 3, 'three rows');
      const alice = row(el, 'Alice Martin');
      const chiara = row(el, 'Chiara Rossi');

      await backend.upsert({ id: 4, start: todayAt(7, 45), patientName: 'Dina Early', provider: 'Dr. Osei', status: 'confirmed' });
      await until(() => patients(el)[0] === 'Dina Early', 'inserted at the top');
      expect(row(el, 'Alice Martin')).to.equal(alice);
      expect(row(el, 'Chiara Rossi')).to.equal(chiara);

      // Changed in place, too.
      await backend.upsert({ ...sampleDay()[0], status: 'in-room' });
      await until(() => partOf(el, 'Alice Martin', 'status') === 'In room', 'Alice in the room');
      expect(row(el, 'Alice Martin')).to.equal(alice);
    });

    it('should write to the changed row only, and leave the rest of a long day as it was', async () => {
      clockAt(12);
      // Forty appointments, one every ten minutes from 07:00: sixteen quarter-hour groups or more.
      const day = evenDay(40, 6, (i) => (i < 25 ? 'completed' : 'confirmed'));
      const backend = await backendWith(day);
      const el = await mount(backend);
      await until(isLive(el), 'live');
      await until(() => rows(el).length === 40, 'forty rows');
      const list = el.shadowRoot!.querySelector('[part="list"]')!;
      const touched = new Set<Node>();
      const observer = new MutationObserver((records) => records.forEach((record) => touched.add(record.target)));
      observer.observe(list, { subtree: true, childList: true, attributes: true, characterData: true });

      // A morning appointment marked as a no-show: "now" and "next" stay where they are.
      await backend.upsert({ ...day[10], status: 'no-show' });
      await until(() => partOf(el, 'Pat 10', 'status') === 'No show', 'Pat 10 a no-show');
      await el.updateComplete;
      observer.disconnect();
      const changed = row(el, 'Pat 10');
      const elsewhere = [...touched].filter((node) => node !== changed && !changed.contains(node));
      expect(touched.size, 'the change was written').to.be.above(0);
      expect(elsewhere.map((node) => (node as Element).outerHTML ?? node.textContent), 'nothing outside the changed row').to.deep.equal([]);
    });

    it('should highlight a changed row for a few seconds, without animation under prefers-reduced-motion', async () => {
      clockAt(10);
      const backend = await backendWith(sampleDay());
      const el = await mount(backend);
      await until(isLive(el), 'live');
      await until(() => rows(el).length === 3, 'three rows');
      // The first list of the day is no change; neither is a fetch that brings nothing new.
      await el.refresh();
      expect(flagged(el, 'data-changed')).to.deep.equal([]);

      const [alice, bruno] = sampleDay();
      await backend.upsert({ ...alice, status: 'checked-in' });
      await until(() => flagged(el, 'data-changed').join() === 'Alice Martin', 'Alice highlighted alone');
      // The fade runs on the row's overlay (opacity: the compositor's work, not the main thread's).
      expect(getComputedStyle(row(el, 'Alice Martin'), '::before').animationName).to.equal('changed');
      await clock!.tickAsync(3000);
      await el.updateComplete;
      expect(flagged(el, 'data-changed'), 'still highlighted after 3 s').to.deep.equal(['Alice Martin']);
      await clock!.tickAsync(1000);
      await until(() => flagged(el, 'data-changed').length === 0, 'the highlight is over after 4 s');

      await emulateMedia({ reducedMotion: 'reduce' });
      try {
        await backend.upsert({ ...bruno, status: 'in-room' });
        await until(() => flagged(el, 'data-changed').join() === 'Bruno Keller', 'Bruno highlighted');
        const style = getComputedStyle(row(el, 'Bruno Keller'));
        expect(getComputedStyle(row(el, 'Bruno Keller'), '::before').animationName).to.equal('none');
        // Still marked, without motion: a steady background the other rows do not have.
        expect(style.backgroundColor).not.to.equal(getComputedStyle(row(el, 'Alice Martin')).backgroundColor);
        await clock!.tickAsync(4000);
        await until(() => flagged(el, 'data-changed').length === 0, 'over after 4 s');
      } finally {
        await emulateMedia({ reducedMotion: 'no-preference' });
      }
    });

    it('should announce a change politely in the privacy mode in force, never with a name when names are hidden, and summarise a burst', async () => {
      const day = [
        { id: 'f', start: todayAt(9), patientName: 'Fay Full', status: 'confirmed' },
        { id: 'j', start: todayAt(9, 15), patientName: 'Jane Doe', status: 'confirmed' },
        { id: 'h', start: todayAt(9, 30), patientName: 'Hugo Hidden', status: 'confirmed' },
        { id: 'x', start: todayAt(11), patientName: 'Xia Xu', status: 'scheduled' },
      ];
      const backend = await Backend.start({ appointments: day });
      const el = await mount(backend);
      await until(isLive(el), 'live');
      await until(() => rows(el).length === 4, 'four rows');
      expect(el.shadowRoot!.querySelector('[aria-live="polite"]')).not.to.equal(null);
      expect(announcement(el), 'the first list of the day is no change').to.equal('');

      await backend.upsert({ ...day[0], status: 'checked-in' });
      await until(() => announcement(el) === 'Fay Full checked in', 'full name');

      el.setAttribute('patient-names', 'initials');
      await backend.upsert({ ...day[1], status: 'checked-in' });
      await until(() => announcement(el) === 'J. D. checked in', 'initials');

      el.setAttribute('patient-names', 'hidden');
      await backend.upsert({ ...day[2], status: 'checked-in' });
      await until(() => announcement(el) === '9:30 AM appointment checked in', 'the time instead of the name');
      await backend.remove('x');
      await until(() => announcement(el) === '11:00 AM appointment removed', 'removal, by time');
      const everything = folded(el.shadowRoot);
      for (const part of ['Fay', 'Full', 'Jane', 'Doe', 'J. D.', 'Hugo', 'Hidden', 'H. H.', 'Xia']) expect(everything).not.to.contain(part);

      // A burst (three changed at once) is summarised.
      await backend.setAppointments([{ ...day[0], status: 'in-room' }, { ...day[1], status: 'in-room' }, { ...day[2], status: 'no-show' }], 'snapshot');
      await until(() => announcement(el) === '3 appointments changed', 'burst summarised');

      // One appointment in the place of another, the day as long as before: one gone, one new
      // (not the one changed into the other).
      const replaced = { id: 'n', start: todayAt(9, 30), patientName: 'Nia New', status: 'scheduled' };
      await backend.setAppointments([{ ...day[0], status: 'in-room' }, { ...day[1], status: 'in-room' }, replaced], 'snapshot');
      await until(() => announcement(el) === '2 appointments changed', 'a removal and an addition');
    });
  });

  describe('accessibility', () => {
    it('should be accessible when late, with a waiting alert, in columns and in kiosk mode', async () => {
      clockAt(10);
      const backend = await backendWith(busyDay());
      const list = await mount(backend);
      const columns = await mount(backend, { layout: 'columns', 'patient-names': 'initials' }, 'width: 1200px');
      const kiosk = await mount(backend, { kiosk: '', layout: 'columns' }, 'height: 20em');
      for (const el of [list, columns, kiosk]) await until(() => rows(el).length === 10, 'ten rows');
      await minutesLater(list, 45);
      expect(flagged(list, 'data-late')).to.deep.equal(['Hal Hume']);
      expect(flagged(list, 'data-wait-alert').length).to.be.above(0);
      expect(all(columns.shadowRoot!, '[part="column"]')).to.have.length(2);
      await until(() => kiosk.scrollTop > 0 && inView(nowMarker(kiosk), kiosk), 'kiosk scrolled to now');
      // axe runs on real timers.
      clock!.restore();
      clock = undefined;
      for (const el of [list, columns, kiosk]) await expect(el).to.be.accessible();
    });
  });

  describe('layouts that hold', () => {
    /** How many lines `node`'s text takes. */
    const lines = (node: Element) => {
      const range = document.createRange();
      range.selectNodeContents(node);
      return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
    };
    const inside = (inner: Element, outer: Element) => {
      const [a, b] = [inner.getBoundingClientRect(), outer.getBoundingClientRect()];
      return a.left >= b.left - 0.5 && a.right <= b.right + 0.5;
    };

    it('should put the status under the name at 360 px, with nothing wider than the element', async () => {
      const backend = await Backend.start({ appointments: busyDay() });
      const el = await mount(backend, {}, 'display: block; width: 360px; font-size: 16px');
      await until(() => rows(el).length === 10, 'ten rows');
      await until(() => el.matches(':state(narrow)'), 'narrow');
      for (const row of appointmentRows(el)) {
        const [patient, status, time] = ['patient', 'status', 'time'].map((part) => row.querySelector(`[part="${part}"]`)!);
        expect(status.getBoundingClientRect().top, folded(row)).to.be.at.least(patient.getBoundingClientRect().bottom - 1);
        expect(inside(status, el) && inside(patient, el), folded(row)).to.equal(true);
        expect(lines(time), 'the time on one line').to.equal(1);
      }
      expect(el.scrollWidth).to.be.at.most(el.clientWidth);
      // Wide again, the status goes back beside the name.
      el.style.width = '900px';
      await until(() => !el.matches(':state(narrow)'), 'wide');
      await el.updateComplete;
      const row = appointmentRows(el)[0];
      expect(row.querySelector('[part="status"]')!.getBoundingClientRect().top).to.be.below(row.querySelector('[part="patient"]')!.getBoundingClientRect().bottom);
    });

    it('should keep a compact sidebar’s status and whole provider in view, and its reconnecting badge within two lines', async () => {
      const backend = await Backend.start({ appointments: busyDay() });
      const el = await mount(backend, { compact: '', 'patient-names': 'initials' }, 'display: block; width: 300px; font-size: 16px');
      await until(() => rows(el).length === 10 && isLive(el)(), 'live');
      for (const row of appointmentRows(el)) {
        const status = row.querySelector('[part="status"]')!;
        const provider = row.querySelector('[part="provider"]') as HTMLElement;
        expect(inside(status, el), folded(row)).to.equal(true);
        expect(provider.textContent).to.match(/Dr\. (Chen|Osei)/);
        expect(provider.scrollWidth, 'the provider is not cut').to.be.at.most(provider.clientWidth + 1);
      }
      await backend.stopSockets();
      await until(() => el.connectionState === 'reconnecting' && el.lastUpdated !== null, 'reconnecting');
      await el.updateComplete;
      const badge = el.shadowRoot!.querySelector('[part="badge"]')!;
      // A sidebar's badge leaves out the attempt count (the full element says "(attempt 1 of 60)").
      expect(folded(badge)).to.match(/^Reconnecting · updating every 30 s · Updated /);
      expect(lines(badge), folded(badge)).to.be.at.most(2);
    });
  });
});
