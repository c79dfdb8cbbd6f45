import { expect } from '@open-wc/testing';
import { version } from 'react';
import { FrontDesk } from './hosts/front-desk.js';
import { withReact } from './hosts/react-mount.js';
import { hostPassesTokenAndHearsEvents } from './hosts/token-scenario.js';
import { WaitingRoom } from './hosts/waiting-room.js';

describe('React 19 hosts', () => {
  it('should run on React 19', () => {
    expect(version).to.match(/^19\./);
  });

  it('should pass authToken and hear the events through schedule-dashboard/react', async () => {
    await hostPassesTokenAndHearsEvents(withReact(FrontDesk));
  });

  it('should pass authToken and hear the events on the bare tag (schedule-dashboard/react-jsx)', async () => {
    await hostPassesTokenAndHearsEvents(withReact(WaitingRoom));
  });
});
