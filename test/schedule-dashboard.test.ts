import { expect } from '@open-wc/testing';
import { Backend, badgeText, closeBackends, dashboardFor, patients, rows, sampleDay, until } from './helpers.js';

describe('<schedule-dashboard>', () => {
  afterEach(closeBackends);

  it('should render the REST schedule before any socket event, then go Connecting… → Live', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const states: string[] = [];
    const el = await dashboardFor(backend);
    el.addEventListener('schedule-connection-change', (e) => states.push(e.detail.state));
    await until(() => rows(el).length === 3, 'three rows');
    expect(patients(el)).to.deep.equal(['Bruno Keller', 'Alice Martin', 'Chiara Rossi']);
    await until(() => badgeText(el).startsWith('Live'), 'badge Live');
    expect(el.connectionState).to.equal('live');
    expect(el.getAttribute('connection-state')).to.equal('live');
    expect((await backend.stats()).restRequests).to.equal(1);
  });
});
