/**
 * What a screen reader is given: Chromium's accessibility tree (test/ax-tree-plugin.mjs) as
 * Chromium builds it when a screen reader runs. This file runs in its own browser, started with
 * `--force-renderer-accessibility` (web-test-runner.config.mjs, group "screen-reader"): without
 * a screen reader, Chromium builds the tree only for what it has laid out, and the rows of a
 * quarter-hour group out of view (a `content-visibility: auto` box) would be missing from it.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import type { ScheduleDashboard } from '../src/schedule-dashboard.js';
import { Backend, closeBackends, evenDay, isLive, QUICK, rows, todayAt, uncaughtErrors, until } from './helpers.js';

/** A heartbeat longer than any jump of the fake clock. */
const HOUR = 60 * 60 * 1000;

/** A list in the accessibility tree: its name, and its children as a screen reader gets them. */
interface AxList {
  readonly name: string;
  readonly children: ReadonlyArray<{ readonly role: string; readonly text: string }>;
}

const uncaught = uncaughtErrors();
let clock: sinon.SinonFakeTimers | undefined;
let el: ScheduleDashboard | undefined;

describe('what a screen reader is given', () => {
  beforeEach(() => uncaught.start());

  afterEach(async () => {
    el?.remove();
    el = undefined;
    clock?.restore();
    clock = undefined;
    const errors = uncaught.stop();
    await closeBackends();
    expect(errors, 'uncaught errors').to.deep.equal([]);
  });

  it('should be the day as one list, every row an item of it (those out of view too), across the quarter-hour groups', async () => {
    clock = sinon.useFakeTimers({
      now: Date.parse(todayAt(12)),
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
      shouldClearNativeTimers: true,
    });
    // Forty appointments, one every ten minutes from 07:00 to 13:30: sixteen groups or more,
    // most of them below the fold of the test page.
    const day = evenDay(40, 6, () => 'confirmed');
    const backend = await Backend.start({ appointments: day, pingInterval: HOUR });
    el = document.createElement('schedule-dashboard');
    el.setAttribute('server-url', backend.url);
    el.setAttribute('log-level', 'silent');
    el.setAttribute('locale', 'en-US');
    el.setAttribute('reconnection-delay', String(QUICK.reconnectionDelay));
    el.setAttribute('reconnection-delay-max', String(QUICK.reconnectionDelayMax));
    document.body.append(el);
    await until(isLive(el), 'live');
    await until(() => rows(el!).length === 40, 'forty rows');

    const lists = (await executeServerCommand('ax-lists')) as AxList[];
    const list = lists.find(({ children }) => children.some(({ text }) => text.includes('Pat 00')));
    expect(list, 'a list with the day in it').to.not.equal(undefined);
    const shadow = el.shadowRoot!;
    const heading = shadow.getElementById(shadow.querySelector('[part="list"]')!.getAttribute('aria-labelledby')!)!;
    expect(list!.name, 'named by its heading').to.equal(heading.textContent!.trim());
    // Its items in order ("Pat 07, 8 of 41"): every row and, at noon, the "now" marker after the
    // 12:00 appointment, with nothing between the list and its items (no group, no nested list).
    const items = list!.children.map(({ role, text }) =>
      role === 'listitem' ? (/Pat \d\d/.exec(text)?.[0] ?? (text.startsWith('Now') ? 'now' : text)) : `${role}: ${text}`,
    );
    const names = day.map((a) => a.patientName);
    expect(items).to.deep.equal([...names.slice(0, 31), 'now', ...names.slice(31)]);
  });
});
