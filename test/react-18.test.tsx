// Served with `react` and `react-dom` meaning React 18 (test/host-bundles.mjs): the same
// front desk as React 19's, through schedule-dashboard/react, which React 18 needs.
import { expect } from '@open-wc/testing';
import { version } from 'react';
import { FrontDesk } from './hosts/front-desk.js';
import { withReact } from './hosts/react-mount.js';
import { hostPassesTokenAndHearsEvents } from './hosts/token-scenario.js';

describe('React 18 host', () => {
  it('should run on React 18', () => {
    expect(version).to.match(/^18\./);
  });

  it('should pass authToken and hear the events through schedule-dashboard/react', async () => {
    await hostPassesTokenAndHearsEvents(withReact(FrontDesk));
  });
});
