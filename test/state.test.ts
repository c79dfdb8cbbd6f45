import { expect } from '@open-wc/testing';
import {
  FIRST_LIFE,
  connectionState,
  inFallback,
  nextLife,
  owesCatchUp,
  shouldPoll,
  type LinkSignal,
  type Network,
  type SocketLife,
  type Visibility,
} from '../src/connection/state.js';

// Every expected value below is written out by hand: none is computed by the code under test.

const connecting: SocketLife = { phase: 'connecting', catchUp: false };
const connectingCatchUp: SocketLife = { phase: 'connecting', catchUp: true };
const live: SocketLife = { phase: 'live' };
const retrying0: SocketLife = { phase: 'retrying', attempt: 0 };
const retrying3: SocketLife = { phase: 'retrying', attempt: 3 };
const gaveUp: SocketLife = { phase: 'gave-up' };
const refused: SocketLife = { phase: 'refused' };

const describeLife = (life: SocketLife) => JSON.stringify(life);
const describeSignal = (signal: LinkSignal) => JSON.stringify(signal);

describe('connection state model', () => {
  describe('connectionState and shouldPoll', () => {
    // life × network × visibility → [public state, polls]
    const table: ReadonlyArray<readonly [SocketLife, Network, Visibility, string, boolean]> = [
      [connecting, 'online', 'visible', 'connecting', false],
      [connecting, 'online', 'hidden', 'connecting', false],
      [connecting, 'offline', 'visible', 'offline', false],
      [connecting, 'offline', 'hidden', 'offline', false],

      [connectingCatchUp, 'online', 'visible', 'connecting', false],
      [connectingCatchUp, 'online', 'hidden', 'connecting', false],
      [connectingCatchUp, 'offline', 'visible', 'offline', false],
      [connectingCatchUp, 'offline', 'hidden', 'offline', false],

      [live, 'online', 'visible', 'live', false],
      [live, 'online', 'hidden', 'live', false],
      [live, 'offline', 'visible', 'offline', false],
      [live, 'offline', 'hidden', 'offline', false],

      [retrying0, 'online', 'visible', 'reconnecting', true],
      [retrying0, 'online', 'hidden', 'reconnecting', false],
      [retrying0, 'offline', 'visible', 'offline', false],
      [retrying0, 'offline', 'hidden', 'offline', false],

      [retrying3, 'online', 'visible', 'reconnecting', true],
      [retrying3, 'online', 'hidden', 'reconnecting', false],
      [retrying3, 'offline', 'visible', 'offline', false],
      [retrying3, 'offline', 'hidden', 'offline', false],

      [gaveUp, 'online', 'visible', 'polling', true],
      [gaveUp, 'online', 'hidden', 'polling', false],
      [gaveUp, 'offline', 'visible', 'offline', false],
      [gaveUp, 'offline', 'hidden', 'offline', false],

      [refused, 'online', 'visible', 'unauthorized', false],
      [refused, 'online', 'hidden', 'unauthorized', false],
      [refused, 'offline', 'visible', 'offline', false],
      [refused, 'offline', 'hidden', 'offline', false],
    ];

    for (const [life, network, visibility, state, polls] of table) {
      const label = `${describeLife(life)}, ${network}, ${visibility}`;

      it(`should say "${state}" for ${label}`, () => {
        expect(connectionState({ life, network })).to.equal(state);
      });

      it(`should ${polls ? '' : 'not '}poll for ${label}`, () => {
        expect(shouldPoll({ life, network, visibility })).to.equal(polls);
      });
    }
  });

  describe('inFallback and owesCatchUp', () => {
    // life → [fallback active, next connect must reconcile]
    const table: ReadonlyArray<readonly [SocketLife, boolean, boolean]> = [
      [connecting, false, false],
      [connectingCatchUp, false, true],
      [live, false, false],
      [retrying0, true, true],
      [retrying3, true, true],
      [gaveUp, true, true],
      [refused, false, false],
    ];

    for (const [life, fallback, catchUp] of table) {
      it(`should ${fallback ? '' : 'not '}be in fallback while ${describeLife(life)}`, () => {
        expect(inFallback(life)).to.equal(fallback);
      });

      it(`should ${catchUp ? '' : 'not '}owe a catch-up while ${describeLife(life)}`, () => {
        expect(owesCatchUp(life)).to.equal(catchUp);
      });
    }
  });

  describe('nextLife', () => {
    it('should start connecting without a catch-up', () => {
      expect(FIRST_LIFE).to.deep.equal({ phase: 'connecting', catchUp: false });
    });

    // life, signal → life after it
    const table: ReadonlyArray<readonly [SocketLife, LinkSignal, SocketLife]> = [
      // open: a socket opened anew owes a catch-up exactly when an outage preceded it.
      [connecting, { type: 'open' }, { phase: 'connecting', catchUp: false }],
      [connectingCatchUp, { type: 'open' }, { phase: 'connecting', catchUp: true }],
      [live, { type: 'open' }, { phase: 'connecting', catchUp: false }],
      [retrying0, { type: 'open' }, { phase: 'connecting', catchUp: true }],
      [retrying3, { type: 'open' }, { phase: 'connecting', catchUp: true }],
      [gaveUp, { type: 'open' }, { phase: 'connecting', catchUp: true }],
      [refused, { type: 'open' }, { phase: 'connecting', catchUp: false }],

      // connected: live, from wherever.
      [connecting, { type: 'connected' }, { phase: 'live' }],
      [connectingCatchUp, { type: 'connected' }, { phase: 'live' }],
      [live, { type: 'connected' }, { phase: 'live' }],
      [retrying0, { type: 'connected' }, { phase: 'live' }],
      [retrying3, { type: 'connected' }, { phase: 'live' }],
      [gaveUp, { type: 'connected' }, { phase: 'live' }],

      // dropped: retrying from attempt 0, except that a retry under way keeps its attempt.
      [connecting, { type: 'dropped' }, { phase: 'retrying', attempt: 0 }],
      [connectingCatchUp, { type: 'dropped' }, { phase: 'retrying', attempt: 0 }],
      [live, { type: 'dropped' }, { phase: 'retrying', attempt: 0 }],
      [retrying0, { type: 'dropped' }, { phase: 'retrying', attempt: 0 }],
      [retrying3, { type: 'dropped' }, { phase: 'retrying', attempt: 3 }],
      [gaveUp, { type: 'dropped' }, { phase: 'retrying', attempt: 0 }],

      // connect-error: only a handshake that never got anywhere falls back; later ones change nothing.
      [connecting, { type: 'connect-error' }, { phase: 'retrying', attempt: 0 }],
      [connectingCatchUp, { type: 'connect-error' }, { phase: 'retrying', attempt: 0 }],
      [live, { type: 'connect-error' }, { phase: 'live' }],
      [retrying0, { type: 'connect-error' }, { phase: 'retrying', attempt: 0 }],
      [retrying3, { type: 'connect-error' }, { phase: 'retrying', attempt: 3 }],
      [gaveUp, { type: 'connect-error' }, { phase: 'gave-up' }],
      [refused, { type: 'connect-error' }, { phase: 'refused' }],

      // attempt: retrying with that attempt, also after Socket.IO gave up (a re-armed socket).
      [connecting, { type: 'attempt', attempt: 1 }, { phase: 'retrying', attempt: 1 }],
      [live, { type: 'attempt', attempt: 1 }, { phase: 'retrying', attempt: 1 }],
      [retrying0, { type: 'attempt', attempt: 1 }, { phase: 'retrying', attempt: 1 }],
      [retrying3, { type: 'attempt', attempt: 4 }, { phase: 'retrying', attempt: 4 }],
      [gaveUp, { type: 'attempt', attempt: 1 }, { phase: 'retrying', attempt: 1 }],

      // gave-up
      [retrying0, { type: 'gave-up' }, { phase: 'gave-up' }],
      [retrying3, { type: 'gave-up' }, { phase: 'gave-up' }],
      [gaveUp, { type: 'gave-up' }, { phase: 'gave-up' }],

      // refused: from anything.
      [connecting, { type: 'refused' }, { phase: 'refused' }],
      [connectingCatchUp, { type: 'refused' }, { phase: 'refused' }],
      [live, { type: 'refused', status: 401 }, { phase: 'refused' }],
      [retrying0, { type: 'refused', status: 403 }, { phase: 'refused' }],
      [retrying3, { type: 'refused' }, { phase: 'refused' }],
      [gaveUp, { type: 'refused', status: 401 }, { phase: 'refused' }],
      [refused, { type: 'refused' }, { phase: 'refused' }],
    ];

    for (const [life, signal, expected] of table) {
      it(`should go from ${describeLife(life)} on ${describeSignal(signal)} to ${describeLife(expected)}`, () => {
        expect(nextLife(life, signal)).to.deep.equal(expected);
      });
    }

    it('should not change the life it is given', () => {
      const before: SocketLife = { phase: 'retrying', attempt: 2 };
      nextLife(before, { type: 'attempt', attempt: 5 });
      nextLife(before, { type: 'open' });
      expect(before).to.deep.equal({ phase: 'retrying', attempt: 2 });
    });

    it('should owe a catch-up after a whole outage: live, dropped, retried, gave up, reopened', () => {
      const signals: LinkSignal[] = [
        { type: 'connected' },
        { type: 'dropped' },
        { type: 'attempt', attempt: 1 },
        { type: 'attempt', attempt: 2 },
        { type: 'gave-up' },
        { type: 'open' },
      ];
      const lives = signals.reduce<SocketLife[]>((seen, signal) => [...seen, nextLife(seen[seen.length - 1], signal)], [
        { phase: 'connecting', catchUp: false },
      ]);
      expect(lives).to.deep.equal([
        { phase: 'connecting', catchUp: false },
        { phase: 'live' },
        { phase: 'retrying', attempt: 0 },
        { phase: 'retrying', attempt: 1 },
        { phase: 'retrying', attempt: 2 },
        { phase: 'gave-up' },
        { phase: 'connecting', catchUp: true },
      ]);
    });
  });
});
