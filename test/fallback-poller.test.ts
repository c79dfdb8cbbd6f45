import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { FallbackPoller, REARM_INTERVAL } from '../src/connection/fallback-poller.js';
import type { LinkView, Network, SocketLife, Visibility } from '../src/connection/state.js';
import { StructuredLogger, type LogRecord } from '../src/logging.js';
import type { FallbackMetrics } from '../src/metrics.js';

const INTERVAL = 30_000;
const FIVE_MINUTES = 300_000;
const START = Date.UTC(2025, 0, 6, 9, 0, 0);

const live: SocketLife = { phase: 'live' };
const retrying = (attempt = 0): SocketLife => ({ phase: 'retrying', attempt });
const gaveUp: SocketLife = { phase: 'gave-up' };
const refused: SocketLife = { phase: 'refused' };

const view = (life: SocketLife, network: Network = 'online', visibility: Visibility = 'visible'): LinkView => ({
  life,
  network,
  visibility,
});

describe('FallbackPoller', () => {
  let clock: sinon.SinonFakeTimers;
  let poll: sinon.SinonSpy;
  let rearm: sinon.SinonSpy;
  let age: number;
  let interval: number;
  let metrics: FallbackMetrics;
  let records: LogRecord[];
  let poller: FallbackPoller;

  const events = (name: string) => records.filter((record) => record.event === name);

  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: START, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    poll = sinon.spy();
    rearm = sinon.spy();
    age = 0;
    interval = INTERVAL;
    metrics = { activations: 0, activeSince: null, totalMs: 0, lastFirstFetchMs: null, polls: 0, pollErrors: 0 };
    records = [];
    const log = new StructuredLogger(
      () => 'debug',
      () => (record) => records.push(record),
      () => Date.now(),
    );
    poller = new FallbackPoller({ interval: () => interval, poll, rearm, age: () => age, now: () => Date.now(), metrics, log });
  });

  afterEach(() => {
    poller.stop('test-end');
    clock.restore();
  });

  it('should re-arm every 5 minutes', () => {
    expect(REARM_INTERVAL).to.equal(FIVE_MINUTES);
  });

  describe('while retrying', () => {
    it('should poll at once when the socket starts retrying, online and visible', () => {
      poller.update(view(retrying()), 'transport close');
      expect(poll.callCount).to.equal(1);
    });

    it('should poll once every interval after the first poll', () => {
      poller.update(view(retrying()), 'transport close');
      clock.tick(INTERVAL - 1);
      expect(poll.callCount).to.equal(1);
      clock.tick(1);
      expect(poll.callCount).to.equal(2);
      clock.tick(INTERVAL);
      expect(poll.callCount).to.equal(3);
      clock.tick(3 * INTERVAL);
      expect(poll.callCount).to.equal(6);
    });

    it('should neither poll again nor restart the timer on later retry attempts', () => {
      poller.update(view(retrying(0)), 'transport close');
      clock.tick(20_000);
      poller.update(view(retrying(1)), 'rearmed');
      poller.update(view(retrying(2)), 'rearmed');
      expect(poll.callCount).to.equal(1);
      clock.tick(10_000);
      expect(poll.callCount).to.equal(2);
    });

    it('should keep one timer only, however many updates arrive', () => {
      poller.update(view(retrying(0)), 'transport close');
      poller.update(view(retrying(1)), 'rearmed');
      poller.update(view(retrying(1), 'online', 'visible'), 'visibility');
      expect(clock.countTimers()).to.equal(1);
    });

    it('should not start the fallback for a socket that is connecting, live or refused', () => {
      poller.update(view({ phase: 'connecting', catchUp: false }), 'open');
      poller.update(view(live), 'connected');
      poller.update(view(refused), 'handshake-refused');
      clock.tick(5 * INTERVAL);
      expect(poll.callCount).to.equal(0);
      expect(clock.countTimers()).to.equal(0);
      expect(metrics.activations).to.equal(0);
      expect(records).to.have.length(0);
    });
  });

  describe('offline or hidden', () => {
    for (const [network, visibility] of [
      ['offline', 'visible'],
      ['online', 'hidden'],
      ['offline', 'hidden'],
    ] as const) {
      it(`should stop polling while ${network} and ${visibility}`, () => {
        poller.update(view(retrying()), 'transport close');
        clock.tick(INTERVAL);
        expect(poll.callCount).to.equal(2);
        poller.update(view(retrying(), network, visibility), 'browser-change');
        clock.tick(5 * INTERVAL);
        expect(poll.callCount).to.equal(2);
        expect(clock.countTimers()).to.equal(0);
      });

      it(`should restart the timer without an immediate poll once back from ${network} and ${visibility}`, () => {
        poller.update(view(retrying()), 'transport close');
        poller.update(view(retrying(), network, visibility), 'browser-change');
        clock.tick(10_000);
        poller.update(view(retrying()), 'browser-back');
        expect(poll.callCount).to.equal(1);
        clock.tick(INTERVAL - 1);
        expect(poll.callCount).to.equal(1);
        clock.tick(1);
        expect(poll.callCount).to.equal(2);
        clock.tick(INTERVAL);
        expect(poll.callCount).to.equal(3);
      });
    }

    it('should not poll at once when the fallback starts while offline', () => {
      poller.update(view(retrying(), 'offline'), 'transport close');
      expect(poll.callCount).to.equal(0);
      expect(metrics.activations).to.equal(1);
      clock.tick(5 * INTERVAL);
      expect(poll.callCount).to.equal(0);
    });

    it('should not poll at once when the fallback starts while hidden, but every interval once visible', () => {
      poller.update(view(retrying(), 'online', 'hidden'), 'transport close');
      expect(poll.callCount).to.equal(0);
      poller.update(view(retrying()), 'visibility');
      expect(poll.callCount).to.equal(0);
      clock.tick(INTERVAL);
      expect(poll.callCount).to.equal(1);
    });
  });

  describe('pageShown', () => {
    it('should poll at once when the data is older than the interval', () => {
      poller.update(view(retrying()), 'transport close');
      clock.tick(10_000);
      age = INTERVAL + 1;
      poller.pageShown();
      expect(poll.callCount).to.equal(2);
      expect(rearm.callCount).to.equal(0);
    });

    it('should not poll when the data is exactly as old as the interval', () => {
      poller.update(view(retrying()), 'transport close');
      age = INTERVAL;
      poller.pageShown();
      expect(poll.callCount).to.equal(1);
    });

    it('should not poll when the data is fresh', () => {
      poller.update(view(retrying()), 'transport close');
      age = 1_000;
      poller.pageShown();
      expect(poll.callCount).to.equal(1);
    });

    it('should compare the age with the current interval', () => {
      poller.update(view(retrying()), 'transport close');
      age = 15_000;
      interval = 10_000;
      poller.pageShown();
      expect(poll.callCount).to.equal(2);
    });

    it('should poll when the data never matched the server (infinite age)', () => {
      poller.update(view(retrying()), 'transport close');
      age = Infinity;
      poller.pageShown();
      expect(poll.callCount).to.equal(2);
    });

    it('should re-arm a socket that Socket.IO gave up on', () => {
      poller.update(view(retrying()), 'transport close');
      poller.update(view(gaveUp), 'reconnect-failed');
      age = 1_000;
      poller.pageShown();
      expect(rearm.callCount).to.equal(1);
      expect(poll.callCount).to.equal(1);
    });

    it('should re-arm and poll at once after giving up, when the data is old', () => {
      poller.update(view(retrying()), 'transport close');
      poller.update(view(gaveUp), 'reconnect-failed');
      age = 2 * INTERVAL;
      poller.pageShown();
      expect(rearm.callCount).to.equal(1);
      expect(poll.callCount).to.equal(2);
    });

    it('should do nothing while the page is still hidden or the browser offline', () => {
      poller.update(view(gaveUp), 'reconnect-failed');
      age = Infinity;
      poll.resetHistory();
      poller.update(view(gaveUp, 'online', 'hidden'), 'visibility');
      poller.pageShown();
      poller.update(view(gaveUp, 'offline', 'visible'), 'browser-offline');
      poller.pageShown();
      expect(poll.callCount).to.equal(0);
      expect(rearm.callCount).to.equal(0);
    });

    it('should do nothing outside the fallback', () => {
      age = Infinity;
      poller.pageShown();
      poller.update(view(live), 'connected');
      poller.pageShown();
      poller.update(view(retrying()), 'transport close');
      poller.update(view(live), 'connected');
      poll.resetHistory();
      poller.pageShown();
      expect(poll.callCount).to.equal(0);
      expect(rearm.callCount).to.equal(0);
    });
  });

  describe('after Socket.IO gave up', () => {
    it('should re-arm every 5 minutes, and not before', () => {
      poller.update(view(retrying()), 'transport close');
      clock.tick(5_000);
      poller.update(view(gaveUp), 'reconnect-failed');
      clock.tick(FIVE_MINUTES - 1);
      expect(rearm.callCount).to.equal(0);
      clock.tick(1);
      expect(rearm.callCount).to.equal(1);
      clock.tick(FIVE_MINUTES - 1);
      expect(rearm.callCount).to.equal(1);
      clock.tick(1);
      expect(rearm.callCount).to.equal(2);
    });

    it('should go on polling every interval, for ever', () => {
      poller.update(view(retrying()), 'transport close');
      poller.update(view(gaveUp), 'reconnect-failed');
      expect(poll.callCount).to.equal(1);
      clock.tick(60 * 60_000);
      expect(poll.callCount).to.equal(121);
    });

    it('should not restart the re-arm timer when told again that Socket.IO gave up', () => {
      poller.update(view(gaveUp), 'reconnect-failed');
      clock.tick(FIVE_MINUTES - 1_000);
      poller.update(view(gaveUp), 'visibility');
      clock.tick(1_000);
      expect(rearm.callCount).to.equal(1);
    });

    it('should stop re-arming once Socket.IO retries again', () => {
      poller.update(view(gaveUp), 'reconnect-failed');
      clock.tick(FIVE_MINUTES);
      expect(rearm.callCount).to.equal(1);
      poller.update(view(retrying(1)), 'rearmed');
      clock.tick(3 * FIVE_MINUTES);
      expect(rearm.callCount).to.equal(1);
      expect(clock.countTimers()).to.equal(1);
    });

    it('should not count the step from retrying to gave-up as a new fallback period', () => {
      poller.update(view(retrying()), 'transport close');
      poller.update(view(gaveUp), 'reconnect-failed');
      expect(metrics.activations).to.equal(1);
      expect(poll.callCount).to.equal(1);
      expect(events('fallback.started')).to.have.length(1);
      expect(events('fallback.stopped')).to.have.length(0);
    });
  });

  describe('when the socket is back', () => {
    it('should clear every timer when the socket is live again after retrying', () => {
      poller.update(view(retrying()), 'transport close');
      expect(clock.countTimers()).to.equal(1);
      poller.update(view(live), 'connected');
      expect(clock.countTimers()).to.equal(0);
      clock.tick(5 * INTERVAL);
      expect(poll.callCount).to.equal(1);
    });

    it('should clear the poll and the re-arm timers when the socket is live again after giving up', () => {
      poller.update(view(gaveUp), 'reconnect-failed');
      expect(clock.countTimers()).to.equal(2);
      poller.update(view(live), 'connected');
      expect(clock.countTimers()).to.equal(0);
      clock.tick(2 * FIVE_MINUTES);
      expect(poll.callCount).to.equal(1);
      expect(rearm.callCount).to.equal(0);
    });

    it('should clear every timer when the credentials are refused', () => {
      poller.update(view(gaveUp), 'reconnect-failed');
      poller.update(view(refused), 'rest-refused');
      expect(clock.countTimers()).to.equal(0);
    });

    it('should clear every timer on stop()', () => {
      poller.update(view(gaveUp), 'reconnect-failed');
      expect(clock.countTimers()).to.equal(2);
      poller.stop('element-removed');
      expect(clock.countTimers()).to.equal(0);
      clock.tick(2 * FIVE_MINUTES);
      expect(poll.callCount).to.equal(1);
      expect(rearm.callCount).to.equal(0);
    });

    it('should start a new period, polling at once, on the next drop', () => {
      poller.update(view(retrying()), 'transport close');
      poller.update(view(live), 'connected');
      poller.update(view(retrying()), 'ping timeout');
      expect(poll.callCount).to.equal(2);
      expect(metrics.activations).to.equal(2);
      expect(clock.countTimers()).to.equal(1);
    });
  });

  describe('metrics', () => {
    it('should count an activation and note when it began', () => {
      clock.tick(1_000);
      poller.update(view(retrying()), 'transport close');
      expect(metrics.activations).to.equal(1);
      expect(metrics.activeSince).to.be.instanceOf(Date);
      expect(metrics.activeSince!.getTime()).to.equal(START + 1_000);
    });

    it('should add the period to totalMs and clear activeSince when it ends', () => {
      poller.update(view(retrying()), 'transport close');
      clock.tick(45_000);
      poller.update(view(live), 'connected');
      expect(metrics.totalMs).to.equal(45_000);
      expect(metrics.activeSince).to.equal(null);
      poller.update(view(retrying()), 'transport close');
      clock.tick(5_000);
      poller.stop('element-removed');
      expect(metrics.totalMs).to.equal(50_000);
      expect(metrics.activations).to.equal(2);
    });

    it('should not add the period under way to totalMs', () => {
      poller.update(view(retrying()), 'transport close');
      clock.tick(45_000);
      expect(metrics.totalMs).to.equal(0);
    });

    it('should record 0 ms to the first fetch when it polls at once', () => {
      poller.update(view(retrying()), 'transport close');
      expect(metrics.lastFirstFetchMs).to.equal(0);
    });

    it('should record the time from the drop to the first fetch when polling had to wait', () => {
      poller.update(view(retrying(), 'offline'), 'transport close');
      clock.tick(10_000);
      poller.update(view(retrying()), 'browser-online');
      expect(metrics.lastFirstFetchMs).to.equal(null);
      clock.tick(INTERVAL);
      expect(metrics.lastFirstFetchMs).to.equal(40_000);
    });

    it('should keep the first fetch of the period, not later ones', () => {
      poller.update(view(retrying(), 'online', 'hidden'), 'transport close');
      clock.tick(7_000);
      age = Infinity;
      poller.update(view(retrying()), 'visibility');
      poller.pageShown();
      clock.tick(3 * INTERVAL);
      expect(metrics.lastFirstFetchMs).to.equal(7_000);
    });

    it('should count every poll', () => {
      poller.update(view(retrying()), 'transport close');
      clock.tick(2 * INTERVAL);
      age = Infinity;
      poller.pageShown();
      expect(metrics.polls).to.equal(4);
      expect(poll.callCount).to.equal(4);
    });

    it('should leave pollErrors to its owner', () => {
      poller.update(view(retrying()), 'transport close');
      clock.tick(2 * INTERVAL);
      expect(metrics.pollErrors).to.equal(0);
    });

    it('should change nothing when stopped outside the fallback', () => {
      poller.stop('element-removed');
      poller.update(view(live), 'connected');
      expect(metrics).to.deep.equal({ activations: 0, activeSince: null, totalMs: 0, lastFirstFetchMs: null, polls: 0, pollErrors: 0 });
      expect(records).to.have.length(0);
    });
  });

  describe('intervalChanged', () => {
    it('should restart the timer with the new interval', () => {
      poller.update(view(retrying()), 'transport close');
      clock.tick(12_000);
      interval = 10_000;
      poller.intervalChanged();
      clock.tick(9_999);
      expect(poll.callCount).to.equal(1);
      clock.tick(1);
      expect(poll.callCount).to.equal(2);
      clock.tick(10_000);
      expect(poll.callCount).to.equal(3);
      expect(clock.countTimers()).to.equal(1);
    });

    it('should not poll at once', () => {
      poller.update(view(retrying()), 'transport close');
      interval = 10_000;
      poller.intervalChanged();
      expect(poll.callCount).to.equal(1);
    });

    it('should start no timer while not polling, and use the new interval once polling resumes', () => {
      poller.update(view(retrying()), 'transport close');
      poller.update(view(retrying(), 'offline'), 'browser-offline');
      interval = 10_000;
      poller.intervalChanged();
      expect(clock.countTimers()).to.equal(0);
      poller.update(view(retrying()), 'browser-online');
      clock.tick(10_000);
      expect(poll.callCount).to.equal(2);
    });

    it('should start no timer outside the fallback', () => {
      interval = 10_000;
      poller.intervalChanged();
      expect(clock.countTimers()).to.equal(0);
    });
  });

  describe('log records', () => {
    it('should record fallback.started with the reason and the interval', () => {
      poller.update(view(retrying()), 'transport close');
      const started = events('fallback.started');
      expect(started).to.have.length(1);
      expect(started[0]).to.deep.include({ level: 'info', reason: 'transport close', pollInterval: INTERVAL });
    });

    it('should record fallback.poll for every poll, numbered', () => {
      poller.update(view(retrying()), 'transport close');
      clock.tick(INTERVAL);
      const polls = events('fallback.poll');
      expect(polls.map((record) => [record.level, record.poll])).to.deep.equal([
        ['debug', 1],
        ['debug', 2],
      ]);
    });

    it('should record fallback.stopped with the reason and how long it lasted', () => {
      poller.update(view(retrying()), 'transport close');
      clock.tick(42_000);
      poller.update(view(live), 'socket-connected');
      const stopped = events('fallback.stopped');
      expect(stopped).to.have.length(1);
      expect(stopped[0]).to.deep.include({ level: 'info', reason: 'socket-connected', durationMs: 42_000 });
    });

    it('should record the start, the polls and the stop in order', () => {
      poller.update(view(retrying()), 'transport close');
      clock.tick(INTERVAL);
      poller.stop('element-removed');
      expect(records.map((record) => record.event)).to.deep.equal([
        'fallback.started',
        'fallback.poll',
        'fallback.poll',
        'fallback.stopped',
      ]);
    });

    it('should record fallback.stopped once, however often it is stopped', () => {
      poller.update(view(retrying()), 'transport close');
      poller.update(view(live), 'connected');
      poller.update(view(live), 'visibility');
      poller.stop('element-removed');
      expect(events('fallback.stopped')).to.have.length(1);
    });
  });
});
