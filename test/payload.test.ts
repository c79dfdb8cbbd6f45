import { expect } from '@open-wc/testing';
import { parseAppointment, parsePayload } from '../src/data/payload.js';
import { Schedule } from '../src/data/schedule.js';

const at = (h: number) => `2026-11-22T${String(h).padStart(2, '0')}:00:00Z`;

describe('parsePayload', () => {
  it('should normalize the snake-case aliases and drop unknown fields and wrong types alone', () => {
    const a = parseAppointment({ id: 7, start_time: at(9), end_time: at(10), patient_name: 'Ann Lee', updated_at: at(8), room: 3, provider: 42, extra: 'x' });
    expect(a).to.deep.equal({ id: 7, start: at(9), end: at(10), patientName: 'Ann Lee', room: '3', updatedAt: at(8) });
    expect(Object.isFrozen(a)).to.equal(true);
    expect(parseAppointment({ id: '', start: at(9) })).to.equal(undefined);
    expect(parseAppointment({ id: 1, start: 'soon' })).to.equal(undefined);
    expect(parseAppointment({ id: Number.NaN, start: at(9) })).to.equal(undefined);
  });

  it('should tell snapshots, changes and signals apart', () => {
    expect(parsePayload([{ id: 1, start: at(9) }, { id: 2 }])).to.deep.include({ kind: 'snapshot', rejectedItems: 1 });
    expect(parsePayload({ appointments: [], date: '2026-11-22', version: 4, emittedAt: '2026-11-22T09:00:00Z' })).to.deep.equal({
      kind: 'snapshot',
      appointments: [],
      rejectedItems: 0,
      duplicates: 0,
      date: '2026-11-22',
      version: 4,
      emittedAt: Date.parse('2026-11-22T09:00:00Z'),
    });
    expect(parsePayload({ action: 'deleted', appointment: { id: 3, updatedAt: at(9) } })).to.deep.equal({
      kind: 'change',
      action: 'deleted',
      id: 3,
      updatedAtMs: Date.parse(at(9)),
    });
    expect(parsePayload({ action: 'created', appointment: { id: 3, start: at(9) } })).to.deep.include({ kind: 'change', action: 'created', id: 3 });
    expect(parsePayload({})).to.deep.equal({ kind: 'signal' });
    expect(parsePayload({ date: '2026-11-22' })).to.deep.equal({ kind: 'signal', date: '2026-11-22' });
  });

  it('should refuse what it cannot trust, with a reason that carries no content', () => {
    const reasons = [
      null,
      7,
      'text',
      { appointments: {} },
      { appointments: [], version: '2' },
      { date: '22.11.2026' },
      { action: 'moved', appointment: { id: 1 } },
      { action: 'updated', appointment: { id: 1 } },
      { action: 'deleted', appointment: {} },
      [{ patientName: 'Secret Name' }],
    ].map((payload) => {
      const parsed = parsePayload(payload);
      return parsed.kind === 'invalid' ? parsed.reason : parsed.kind;
    });
    expect(reasons).to.deep.equal([
      'not-an-object',
      'not-an-object',
      'not-an-object',
      'appointments-not-a-list',
      'bad-version',
      'bad-date',
      'unknown-action',
      'invalid-appointment',
      'invalid-appointment',
      'no-valid-appointments',
    ]);
  });
});

describe('Schedule', () => {
  const appointment = (id: number | string, h: number, extra: Record<string, unknown> = {}) => parseAppointment({ id, start: at(h), ...extra })!;

  it('should sort by start, then id, and freeze what it hands out', () => {
    const schedule = new Schedule();
    expect(schedule.replace([appointment('b', 10), appointment('a', 10), appointment(3, 8)])).to.equal(true);
    expect(schedule.appointments.map((a) => a.id)).to.deep.equal([3, 'a', 'b']);
    expect(Object.isFrozen(schedule.appointments)).to.equal(true);
    expect(schedule.replace([appointment(3, 8), appointment('a', 10), appointment('b', 10)]), 'same list').to.equal(false);
  });

  it('should apply changes unless they are older than what it holds', () => {
    const schedule = new Schedule();
    schedule.replace([appointment(1, 9, { status: 'confirmed', updatedAt: at(8) })]);
    const change = (status: string, updated: number) => {
      const a = appointment(1, 9, { status, updatedAt: at(updated) });
      return { kind: 'change' as const, action: 'updated' as const, id: 1, appointment: a, updatedAtMs: Date.parse(at(updated)) };
    };
    expect(schedule.apply(change('checked-in', 9))).to.equal('applied');
    expect(schedule.apply(change('confirmed', 7))).to.equal('ignored');
    expect(schedule.apply(change('checked-in', 9))).to.equal('unchanged');
    expect(schedule.apply({ kind: 'change', action: 'deleted', id: 1 })).to.equal('applied');
    expect(schedule.apply({ kind: 'change', action: 'deleted', id: 1 })).to.equal('unchanged');
    expect(schedule.appointments).to.deep.equal([]);
  });

  it('should count what is missing, extra and changed against the server', () => {
    const schedule = new Schedule();
    schedule.replace([appointment(1, 9), appointment(2, 10), appointment(3, 11)]);
    expect(schedule.diff([appointment(1, 9), appointment(2, 12), appointment(4, 13)])).to.deep.equal({ missing: 1, extra: 1, changed: 1 });
  });

  it('should ignore older snapshots by version, and forget versions at clear()', () => {
    const schedule = new Schedule();
    schedule.replace([], 5);
    expect(schedule.isOlder(4)).to.equal(true);
    expect(schedule.isOlder(5)).to.equal(false);
    expect(schedule.isOlder(undefined)).to.equal(false);
    schedule.clear();
    expect(schedule.isOlder(1)).to.equal(false);
  });
});
