import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { SingleFlightFetcher } from '../src/data/fetcher.js';
import { FetchFailure } from '../src/data/rest.js';

type Source = 'poll' | 'refresh' | 'reconcile';
const RANK: Readonly<Record<Source, number>> = { poll: 0, refresh: 1, reconcile: 2 };

/** One call of the fake loader, settled by hand. */
interface Load {
  readonly source: Source;
  readonly signal: AbortSignal;
  readonly resolve: (answer: string) => void;
  readonly reject: (reason: unknown) => void;
}

/** Notes when a promise settles, so that a test can tell "still pending" from "done". */
function track(promise: Promise<void>) {
  const state = { settled: false, promise };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

/** Lets every pending promise reaction run (the fetcher's awaits are all on settled promises by then). */
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('SingleFlightFetcher', () => {
  let loads: Load[];
  let applied: Array<[string, Source]>;
  let apply: (answer: string, source: Source) => void;
  let started: sinon.SinonSpy<[Source], void>;
  let fail: sinon.SinonSpy<[FetchFailure, Source, unknown?], void>;
  let fetcher: SingleFlightFetcher<Source, string>;

  beforeEach(() => {
    loads = [];
    applied = [];
    apply = (answer, source) => void applied.push([answer, source]);
    started = sinon.spy((_source: Source) => {});
    fail = sinon.spy((_failure: FetchFailure, _source: Source, _error?: unknown) => {});
    fetcher = new SingleFlightFetcher<Source, string>({
      rank: RANK,
      load: (signal, source) => new Promise<string>((resolve, reject) => loads.push({ source, signal, resolve, reject })),
      started,
      apply: (answer, source) => apply(answer, source),
      fail,
    });
  });

  describe('a single run', () => {
    it('should load with the source asked for and apply the answer', async () => {
      const done = fetcher.fetch('refresh');
      expect(loads.map((load) => load.source)).to.deep.equal(['refresh']);
      expect(fetcher.inflight).to.equal('refresh');
      loads[0].resolve('answer');
      await done;
      expect(applied).to.deep.equal([['answer', 'refresh']]);
      expect(fail.callCount).to.equal(0);
      expect(fetcher.inflight).to.equal(undefined);
    });

    it('should tell its owner a run is starting, before it loads', async () => {
      const done = fetcher.fetch('poll');
      expect(started.args).to.deep.equal([['poll']]);
      loads[0].resolve('answer');
      await done;
    });

    it('should resolve only once the answer is applied', async () => {
      const done = track(fetcher.fetch('poll'));
      await flush();
      expect(done.settled).to.equal(false);
      loads[0].resolve('answer');
      await done.promise;
      expect(applied).to.have.length(1);
    });

    it('should hand the loader a signal that is not aborted', () => {
      void fetcher.fetch('poll');
      expect(loads[0].signal.aborted).to.equal(false);
    });
  });

  describe('no overlap', () => {
    it('should not load again while a load runs', async () => {
      const first = fetcher.fetch('poll');
      const second = track(fetcher.fetch('refresh'));
      await flush();
      expect(loads).to.have.length(1);
      expect(started.callCount).to.equal(1);
      expect(fetcher.inflight).to.equal('poll');
      expect(second.settled).to.equal(false);

      loads[0].resolve('first');
      await first;
      expect(loads.map((load) => load.source)).to.deep.equal(['poll', 'refresh']);
      expect(second.settled).to.equal(false);

      loads[1].resolve('second');
      await second.promise;
      expect(applied).to.deep.equal([
        ['first', 'poll'],
        ['second', 'refresh'],
      ]);
    });

    it('should queue exactly one more run for several asks, with the highest-ranked source', async () => {
      const first = fetcher.fetch('poll');
      const asks = [fetcher.fetch('refresh'), fetcher.fetch('poll'), fetcher.fetch('reconcile'), fetcher.fetch('refresh')];
      loads[0].resolve('first');
      await first;
      expect(loads.map((load) => load.source)).to.deep.equal(['poll', 'reconcile']);
      loads[1].resolve('second');
      await Promise.all(asks);
      await flush();
      expect(loads).to.have.length(2);
      expect(applied).to.deep.equal([
        ['first', 'poll'],
        ['second', 'reconcile'],
      ]);
    });

    it('should not let a lower-ranked ask downgrade the queued source', async () => {
      const first = fetcher.fetch('refresh');
      const asks = [fetcher.fetch('reconcile'), fetcher.fetch('poll')];
      loads[0].resolve('first');
      await first;
      expect(loads[1].source).to.equal('reconcile');
      loads[1].resolve('second');
      await Promise.all(asks);
    });

    it('should keep the first of equally ranked asks', async () => {
      const first = fetcher.fetch('reconcile');
      const asks = [fetcher.fetch('refresh'), fetcher.fetch('refresh')];
      loads[0].resolve('first');
      await first;
      expect(loads[1].source).to.equal('refresh');
      loads[1].resolve('second');
      await Promise.all(asks);
    });

    it('should resolve every caller, the first with its run, the others with the queued run', async () => {
      const first = track(fetcher.fetch('poll'));
      const others = [fetcher.fetch('refresh'), fetcher.fetch('poll'), fetcher.fetch('reconcile')].map(track);
      loads[0].resolve('first');
      await first.promise;
      expect(others.map((other) => other.settled)).to.deep.equal([false, false, false]);
      loads[1].resolve('second');
      await Promise.all(others.map((other) => other.promise));
      expect(others.map((other) => other.settled)).to.deep.equal([true, true, true]);
    });

    it('should queue an ask made while the answer is being applied', async () => {
      let during: Promise<void> | undefined;
      apply = (answer, source) => {
        applied.push([answer, source]);
        during ??= fetcher.fetch('refresh');
      };
      const first = fetcher.fetch('poll');
      loads[0].resolve('first');
      await first;
      expect(loads.map((load) => load.source)).to.deep.equal(['poll', 'refresh']);
      loads[1].resolve('second');
      await during;
      expect(applied).to.deep.equal([
        ['first', 'poll'],
        ['second', 'refresh'],
      ]);
    });

    it('should run the queued ask after a failed run too', async () => {
      const first = fetcher.fetch('poll');
      const second = fetcher.fetch('refresh');
      loads[0].reject(new FetchFailure('http', 502));
      await first;
      expect(loads.map((load) => load.source)).to.deep.equal(['poll', 'refresh']);
      loads[1].resolve('second');
      await second;
      expect(applied).to.deep.equal([['second', 'refresh']]);
    });
  });

  describe('invalidate', () => {
    it('should abort the signal of the run under way', () => {
      void fetcher.fetch('poll');
      const { signal } = loads[0];
      fetcher.invalidate();
      expect(signal.aborted).to.equal(true);
    });

    it('should not apply the late answer of the run it aborted', async () => {
      const done = fetcher.fetch('poll');
      fetcher.invalidate();
      loads[0].resolve('stale');
      await done;
      expect(applied).to.deep.equal([]);
      expect(fail.callCount).to.equal(0);
    });

    it('should not report the failure of the run it aborted', async () => {
      const done = fetcher.fetch('poll');
      fetcher.invalidate();
      loads[0].reject(new FetchFailure('aborted'));
      await done;
      expect(fail.callCount).to.equal(0);
    });

    it('should still run the queued ask, with a fresh signal, and apply its answer', async () => {
      const first = fetcher.fetch('poll');
      const second = fetcher.fetch('refresh');
      fetcher.invalidate();
      loads[0].resolve('stale');
      await first;
      expect(loads).to.have.length(2);
      expect(loads[1].signal.aborted).to.equal(false);
      loads[1].resolve('fresh');
      await second;
      expect(applied).to.deep.equal([['fresh', 'refresh']]);
    });

    it('should not touch later runs when nothing was under way', async () => {
      fetcher.invalidate();
      const done = fetcher.fetch('poll');
      expect(loads[0].signal.aborted).to.equal(false);
      loads[0].resolve('answer');
      await done;
      expect(applied).to.deep.equal([['answer', 'poll']]);
    });
  });

  describe('dispose', () => {
    it('should resolve the queued caller without running its load', async () => {
      const first = fetcher.fetch('poll');
      const queued = fetcher.fetch('refresh');
      fetcher.dispose();
      await queued;
      expect(loads).to.have.length(1);
      expect(loads[0].signal.aborted).to.equal(true);
      loads[0].resolve('stale');
      await first;
      await flush();
      expect(loads).to.have.length(1);
      expect(applied).to.deep.equal([]);
      expect(fail.callCount).to.equal(0);
    });
  });

  describe('failures', () => {
    it('should pass a FetchFailure from the loader to fail as it is', async () => {
      const failure = new FetchFailure('http', 500);
      const done = fetcher.fetch('refresh');
      loads[0].reject(failure);
      await done;
      expect(fail.callCount).to.equal(1);
      expect(fail.firstCall.args[0]).to.equal(failure);
      expect(fail.firstCall.args[1]).to.equal('refresh');
      expect(fail.firstCall.args[2]).to.equal(undefined);
      expect(applied).to.deep.equal([]);
    });

    it('should report any other rejection of the loader as network', async () => {
      const done = fetcher.fetch('poll');
      loads[0].reject(new TypeError('Failed to fetch'));
      await done;
      expect(fail.callCount).to.equal(1);
      const [failure, source] = fail.firstCall.args;
      expect(failure).to.be.instanceOf(FetchFailure);
      expect(failure.reason).to.equal('network');
      expect(failure.status).to.equal(undefined);
      expect(source).to.equal('poll');
    });

    it('should report an exception thrown by apply as unusable, with the error itself', async () => {
      const error = new RangeError('cannot render');
      apply = () => {
        throw error;
      };
      const done = fetcher.fetch('reconcile');
      loads[0].resolve('answer');
      await done;
      expect(fail.callCount).to.equal(1);
      const [failure, source, cause] = fail.firstCall.args;
      expect(failure).to.be.instanceOf(FetchFailure);
      expect(failure.reason).to.equal('unusable');
      expect(source).to.equal('reconcile');
      expect(cause).to.equal(error);
    });

    it('should pass a FetchFailure thrown by apply as it is', async () => {
      const failure = new FetchFailure('not-a-list');
      apply = () => {
        throw failure;
      };
      const done = fetcher.fetch('poll');
      loads[0].resolve('answer');
      await done;
      expect(fail.callCount).to.equal(1);
      expect(fail.firstCall.args[0]).to.equal(failure);
      expect(fail.firstCall.args[1]).to.equal('poll');
      expect(fail.firstCall.args[2]).to.equal(undefined);
    });

    it('should resolve, not reject, the caller of a failed run', async () => {
      const done = track(fetcher.fetch('poll'));
      loads[0].reject(new Error('boom'));
      let rejected = false;
      await done.promise.catch(() => (rejected = true));
      expect(done.settled).to.equal(true);
      expect(rejected).to.equal(false);
    });

    it('should load and apply normally after a failure', async () => {
      const first = fetcher.fetch('poll');
      loads[0].reject(new FetchFailure('timeout'));
      await first;
      expect(fetcher.inflight).to.equal(undefined);
      const second = fetcher.fetch('refresh');
      expect(loads).to.have.length(2);
      loads[1].resolve('answer');
      await second;
      expect(applied).to.deep.equal([['answer', 'refresh']]);
      expect(fail.callCount).to.equal(1);
    });

    it('should load and apply normally after apply threw', async () => {
      apply = () => {
        throw new Error('once');
      };
      const first = fetcher.fetch('poll');
      loads[0].resolve('bad');
      await first;
      apply = (answer, source) => void applied.push([answer, source]);
      const second = fetcher.fetch('poll');
      loads[1].resolve('good');
      await second;
      expect(applied).to.deep.equal([['good', 'poll']]);
    });
  });
});
