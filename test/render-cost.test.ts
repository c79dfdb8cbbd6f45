import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import type { Appointment, ParsedPayload } from '../src/data/payload.js';
import { Schedule } from '../src/data/schedule.js';
import { dayKey, timeFormatter } from '../src/data/time.js';
import { summary } from '../src/view/flow.js';
import { ShownState } from '../src/view/shown-state.js';

// Issue 15: a change costs what changed. These check that the shortcuts taken for it keep the
// results the long way gives; the costs themselves are measured by `npm run bench`.

type Change = Extract<ParsedPayload, { kind: 'change' }>;
const appt = (id: string, start: string, status = 'scheduled', updatedAt?: string): Appointment =>
  Object.freeze({ id, start, status, ...(updatedAt && { updatedAt }) }) as Appointment;
const updated = (a: Appointment): Change =>
  ({ kind: 'change', action: 'updated', id: a.id, appointment: a, updatedAtMs: a.updatedAt ? Date.parse(a.updatedAt) : undefined }) as Change;
const ids = (list: readonly Appointment[]) => list.map((a) => `${a.id}:${a.status}`).join(' ');

describe('render cost (issue 15)', () => {
  describe('Schedule', () => {
    it('should keep the sorted list and unchanged objects when a change keeps its start, without a sort', () => {
      const schedule = new Schedule();
      const a = appt('a', '2026-01-01T09:00:00Z');
      const b = appt('b', '2026-01-01T10:00:00Z');
      const c = appt('c', '2026-01-01T11:00:00Z');
      schedule.replace([c, a, b]);
      const first = schedule.appointments;
      expect(ids(first)).to.equal('a:scheduled b:scheduled c:scheduled');

      const b2 = appt('b', '2026-01-01T10:00:00Z', 'checked-in', '2026-01-01T10:01:00Z');
      const b3 = appt('b', '2026-01-01T10:00:00Z', 'in-room', '2026-01-01T10:02:00Z');
      expect(schedule.apply(updated(b2))).to.equal('applied');
      expect(schedule.apply(updated(b3))).to.equal('applied');
      const second = schedule.appointments;
      expect(ids(second)).to.equal('a:scheduled b:in-room c:scheduled');
      expect(second).not.to.equal(first);
      expect(Object.isFrozen(second)).to.equal(true);
      expect(second[0]).to.equal(a);
      expect(second[1]).to.equal(b3);
      expect(second[2]).to.equal(c);
      expect(schedule.appointments, 'unchanged since: the same list').to.equal(second);
    });

    it('should sort again when a change moves an appointment, after changes that did not', () => {
      const schedule = new Schedule();
      const a = appt('a', '2026-01-01T09:00:00Z');
      const b = appt('b', '2026-01-01T10:00:00Z');
      schedule.replace([a, b]);
      void schedule.appointments;
      schedule.apply(updated(appt('b', '2026-01-01T10:00:00Z', 'confirmed', '2026-01-01T08:00:00Z')));
      schedule.apply(updated(appt('a', '2026-01-01T12:00:00Z', 'confirmed', '2026-01-01T08:01:00Z')));
      expect(ids(schedule.appointments)).to.equal('b:confirmed a:confirmed');
      schedule.apply({ kind: 'change', action: 'deleted', id: 'b' } as Change);
      schedule.apply(updated(appt('a', '2026-01-01T12:00:00Z', 'completed', '2026-01-01T08:02:00Z')));
      expect(ids(schedule.appointments)).to.equal('a:completed');
    });
  });

  describe('summary', () => {
    it('should count each group in one pass, leaving out empty groups and other statuses', () => {
      const list = ['scheduled', 'confirmed', 'checked-in', 'completed', 'completed', 'on-hold'].map((status, i) =>
        appt(String(i), '2026-01-01T09:00:00Z', status),
      );
      expect(summary(list)).to.deep.equal([
        { key: 'booked', count: 2 },
        { key: 'waiting', count: 1 },
        { key: 'done', count: 2 },
      ]);
      expect(summary([])).to.deep.equal([]);
    });
  });

  describe('timeFormatter', () => {
    it('should give the same function for the same locale and zone, and format as Intl does', () => {
      const at = new Date('2026-01-01T09:05:00Z');
      expect(timeFormatter('en-US', 'UTC')).to.equal(timeFormatter('en-US', 'UTC'));
      expect(timeFormatter('en-US', 'UTC')).not.to.equal(timeFormatter('de-DE', 'UTC'));
      expect(timeFormatter('en-US', 'UTC')(at)).to.equal(
        new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(at),
      );
    });
  });

  describe('dayKey', () => {
    it('should give every minute around midnight the day Intl gives, in zones of whole hours, quarter hours and odd minutes', () => {
      const day = (at: Date, timeZone: string) => {
        const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
        const part = (type: string) => parts.find((p) => p.type === type)?.value;
        return `${part('year')}-${part('month')}-${part('day')}`;
      };
      // Local midnight falls at 22:53 UTC in +01:07, 18:15 in Kathmandu (+05:45), 05:00 in New York.
      const zones: Array<[string, string]> = [['+01:07', '2026-05-01T22:40:00Z'], ['Asia/Kathmandu', '2026-05-01T18:00:00Z'], ['America/New_York', '2026-05-01T04:45:00Z']];
      for (const [zone, from] of zones) {
        // Every 30 s for half an hour, twice: the second pass reads what the first one remembered.
        for (const pass of [1, 2]) {
          for (let s = 0; s < 30 * 60; s += 30) {
            const at = new Date(Date.parse(from) + s * 1000);
            expect(dayKey(at, zone), `${zone} ${at.toISOString()} (pass ${pass})`).to.equal(day(at, zone));
          }
        }
      }
    });
  });

  describe('ShownState', () => {
    it('should add a state only when it is missing, and drop the ones no longer shown', async () => {
      class Host extends LitElement {}
      customElements.define('render-cost-host', Host);
      const el = await fixture<Host>(html`<render-cost-host></render-cost-host>`);
      const shown = new ShownState(el);
      // Counted on the prototype: Chromium restyles the whole tree on every add, even of a state held.
      const states = CustomStateSet.prototype as unknown as Set<string>;
      let adds = 0;
      const add = states.add;
      states.add = function (this: Set<string>, value: string) {
        adds += 1;
        return add.call(this, value);
      };
      try {
        shown.show('live', { narrow: true });
        expect(adds).to.equal(2);
        shown.show('live', { narrow: true });
        expect(adds, 'nothing new: nothing added').to.equal(2);
        shown.show('polling', { narrow: false });
        expect(adds).to.equal(3);
        expect(el.matches(':state(polling)')).to.equal(true);
        expect(el.matches(':state(live)') || el.matches(':state(narrow)')).to.equal(false);
        expect(el.getAttribute('connection-state')).to.equal('polling');
      } finally {
        states.add = add;
      }
    });
  });
});
