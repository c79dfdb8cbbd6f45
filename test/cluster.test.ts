import { expect, fixture, html } from '@open-wc/testing';
import type { ScheduleDashboard } from '../src/schedule-dashboard.js';
import { closeClusters, Cluster, isLive, patients, rows, sampleDay, todayAt, until } from './helpers.js';

/**
 * The element against a real cluster (README, "Running several backend processes"): Redis,
 * two backend processes and the round-robin proxy, the element given the proxy's address.
 * A process dies under the element; what the front desk sees must come right by itself.
 */
/**
 * Each row's text with its late and waiting figures left out: they follow the real clock here,
 * and a minute may turn while a test runs.
 */
const listed = (el: ScheduleDashboard) => rows(el).map((text) => text.replace(/\b(Late|Waiting) \d+ min\b/g, '$1'));

describe('<schedule-dashboard> on a cluster of two backend processes', () => {
  afterEach(closeClusters);

  /** A reconnection-delay long enough that the test acts between the drop and the reconnect. */
  const DELAY = 2000;

  async function dashboardOn(cluster: Cluster): Promise<ScheduleDashboard> {
    await cluster.call(0, 'setAppointments', { appointments: sampleDay() });
    const el = await fixture<ScheduleDashboard>(html`<schedule-dashboard
      server-url=${cluster.url}
      log-level="silent"
      reconnection-delay=${DELAY}
      reconnection-delay-max=${DELAY}
    ></schedule-dashboard>`);
    await until(isLive(el), 'live');
    await until(() => rows(el).length === 3, 'the day shown');
    return el;
  }

  /** The slot of the process the element's socket is on, and the other one. */
  async function processes(cluster: Cluster) {
    let on: number | undefined;
    await until(async () => (on = await cluster.processWith(1)) !== undefined, 'the socket is on one process');
    return { on: on!, other: 1 - on! };
  }

  it('should show a change it missed while its process was killed (SIGKILL): not recovered, repaired by the reconciling fetch', async () => {
    const cluster = await Cluster.start();
    const el = await dashboardOn(cluster);
    const { on, other } = await processes(cluster);
    const sources: string[] = [];
    el.addEventListener('schedule-updated', (e) => sources.push(e.detail.source));
    const { requests, notModified, errors } = el.metrics.fetch;

    expect((await cluster.kill(on, 'SIGKILL')).signal).to.equal('SIGKILL');
    await until(() => el.connectionState === 'reconnecting', 'reconnecting');
    // The fallback fetch, made at once, is answered by the other process (the list had not changed).
    await until(() => el.metrics.fetch.requests === requests + 1, 'the immediate fallback fetch');
    await until(() => el.metrics.fetch.notModified + el.metrics.fetch.errors === notModified + errors + 1, 'its answer');
    expect(el.metrics.fetch.errors, 'the dead process is skipped').to.equal(errors);

    // Hold the reconnection at the proxy while the day changes through the other process:
    // the event goes out while the element has no socket, and a crashed process kept no session.
    await cluster.pause();
    await cluster.call(other, 'upsert', { appointment: { id: 'walk-in', start: todayAt(11), patientName: 'Dora Missed', status: 'checked-in' } });
    expect(patients(el)).not.to.include('Dora Missed');
    await cluster.resume();

    await until(isLive(el), 'live again, through the proxy, on the other process');
    expect((await cluster.stats(other)).clients).to.equal(1);
    expect(el.metrics.connection.successfulReconnects).to.equal(1);
    expect(el.metrics.connection.recovered, 'nothing replayed').to.equal(0);
    await until(() => patients(el).includes('Dora Missed'), 'the missed change shown');
    expect(sources).to.deep.equal(['reconcile']);
    expect(el.metrics.consistency.mismatches).to.equal(1);
    expect(el.metrics.consistency.lastMismatch).to.deep.include({ missing: 1, extra: 0, changed: 0 });
    expect(rows(el)).to.have.length(4);
  });

  it('should recover its session on the other process after a graceful exit (SIGTERM): the reconciling fetch is a 304, nothing mismatched', async () => {
    const cluster = await Cluster.start();
    const el = await dashboardOn(cluster);
    const { on, other } = await processes(cluster);
    // Recovery needs an event received on this connection: a signal through the other process
    // (the day does not change; the element checks over REST, and holds the current ETag).
    const asked = el.metrics.fetch.requests;
    await cluster.call(other, 'emit', { payload: { emittedAt: Date.now() } });
    await until(() => el.metrics.events.received === 1, 'the signal');
    await until(() => el.metrics.fetch.requests === asked + 1 && el.metrics.fetch.notModified >= 1, 'its fetch answered');
    const shown = listed(el);
    const before = el.metrics;
    const sources: string[] = [];
    el.addEventListener('schedule-updated', (e) => sources.push(e.detail.source));

    expect(await cluster.kill(on, 'SIGTERM')).to.deep.equal({ code: 0, signal: null });
    await until(() => el.metrics.connection.recovered === 1, 'reconnected, session recovered');
    await until(isLive(el), 'live again');
    expect((await cluster.stats(other)).recoveredConnections).to.equal(1);
    await until(() => el.metrics.consistency.checks === before.consistency.checks + 1, 'the reconciling fetch');
    const { fetch, consistency } = el.metrics;
    // Every fetch since the exit (the fallback fetch and the reconciling one) was a 304.
    expect(fetch.notModified - before.fetch.notModified).to.equal(fetch.requests - before.fetch.requests);
    expect(fetch.requests - before.fetch.requests).to.be.at.least(1);
    expect(fetch.errors).to.equal(before.fetch.errors);
    expect(consistency.mismatches).to.equal(0);
    expect(listed(el)).to.deep.equal(shown);
    expect(sources, 'nothing re-rendered as changed').to.deep.equal([]);
  });
});
