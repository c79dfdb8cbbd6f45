import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { DEFAULTS, configChanges, configReader, resolveConfig, type ConfigChange, type ScheduleConnectionConfig } from '../src/config.js';
import { Scope } from '../src/scope.js';

describe('Scope', () => {
  let clock: sinon.SinonFakeTimers;

  beforeEach(() => {
    clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });

  afterEach(() => {
    clock.restore();
  });

  describe('on', () => {
    it('should listen to a DOM target until disposed', () => {
      const scope = new Scope();
      const target = new EventTarget();
      const heard = sinon.spy();
      scope.on(target, 'ping', heard);
      target.dispatchEvent(new Event('ping'));
      expect(heard.callCount).to.equal(1);
      expect(scope.size).to.equal(1);
      scope.dispose();
      target.dispatchEvent(new Event('ping'));
      expect(heard.callCount).to.equal(1);
      expect(scope.size).to.equal(0);
    });

    it('should stop listening to a DOM target when its own undo runs', () => {
      const scope = new Scope();
      const target = new EventTarget();
      const heard = sinon.spy();
      const undo = scope.on(target, 'ping', heard);
      undo();
      target.dispatchEvent(new Event('ping'));
      expect(heard.callCount).to.equal(0);
      expect(scope.size).to.equal(0);
    });

    it('should listen to a Socket.IO-style emitter with on, and undo with off and the same function', () => {
      const scope = new Scope();
      const emitter = { on: sinon.spy(), off: sinon.spy() };
      const fn = () => {};
      scope.on(emitter, 'connect', fn);
      expect(emitter.on.args).to.deep.equal([['connect', fn]]);
      expect(emitter.off.callCount).to.equal(0);
      scope.dispose();
      expect(emitter.off.args).to.deep.equal([['connect', fn]]);
    });
  });

  describe('timeout', () => {
    it('should run once after its delay and then leave the list', () => {
      const scope = new Scope();
      const fn = sinon.spy();
      scope.timeout(fn, 1_000);
      expect(scope.size).to.equal(1);
      clock.tick(999);
      expect(fn.callCount).to.equal(0);
      clock.tick(1);
      expect(fn.callCount).to.equal(1);
      expect(scope.size).to.equal(0);
      clock.tick(10_000);
      expect(fn.callCount).to.equal(1);
    });

    it('should never run when disposed first', () => {
      const scope = new Scope();
      const fn = sinon.spy();
      scope.timeout(fn, 1_000);
      scope.dispose();
      expect(clock.countTimers()).to.equal(0);
      clock.tick(5_000);
      expect(fn.callCount).to.equal(0);
    });

    it('should never run when its own undo runs first', () => {
      const scope = new Scope();
      const fn = sinon.spy();
      const undo = scope.timeout(fn, 1_000);
      undo();
      expect(clock.countTimers()).to.equal(0);
      expect(scope.size).to.equal(0);
      clock.tick(5_000);
      expect(fn.callCount).to.equal(0);
    });
  });

  describe('interval', () => {
    it('should run every period until disposed', () => {
      const scope = new Scope();
      const fn = sinon.spy();
      scope.interval(fn, 1_000);
      clock.tick(3_000);
      expect(fn.callCount).to.equal(3);
      expect(scope.size).to.equal(1);
      scope.dispose();
      expect(clock.countTimers()).to.equal(0);
      clock.tick(3_000);
      expect(fn.callCount).to.equal(3);
      expect(scope.size).to.equal(0);
    });

    it('should stop when its own undo runs, leaving the others', () => {
      const scope = new Scope();
      const stopped = sinon.spy();
      const kept = sinon.spy();
      const undo = scope.interval(stopped, 1_000);
      scope.interval(kept, 1_000);
      undo();
      clock.tick(2_000);
      expect(stopped.callCount).to.equal(0);
      expect(kept.callCount).to.equal(2);
      expect(scope.size).to.equal(1);
      scope.dispose();
    });
  });

  describe('undo', () => {
    it('should run an undo once, however often it is called or the scope disposed', () => {
      const scope = new Scope();
      const undoIt = sinon.spy();
      const undo = scope.add(undoIt);
      undo();
      undo();
      scope.dispose();
      scope.dispose();
      expect(undoIt.callCount).to.equal(1);
    });

    it('should run an undo once when the scope is disposed twice', () => {
      const scope = new Scope();
      const undoIt = sinon.spy();
      const undo = scope.add(undoIt);
      scope.dispose();
      scope.dispose();
      undo();
      expect(undoIt.callCount).to.equal(1);
    });

    it('should run the undos newest first', () => {
      const scope = new Scope();
      const order: string[] = [];
      scope.add(() => order.push('first'));
      scope.add(() => order.push('second'));
      scope.add(() => order.push('third'));
      scope.dispose();
      expect(order).to.deep.equal(['third', 'second', 'first']);
    });

    it('should be usable again after dispose', () => {
      const scope = new Scope();
      scope.add(() => {});
      scope.dispose();
      const fn = sinon.spy();
      scope.interval(fn, 1_000);
      expect(scope.size).to.equal(1);
      clock.tick(1_000);
      expect(fn.callCount).to.equal(1);
      scope.dispose();
      expect(clock.countTimers()).to.equal(0);
    });

    it('should hold nothing after dispose, whatever it held', () => {
      const scope = new Scope();
      scope.on(new EventTarget(), 'ping', () => {});
      scope.timeout(() => {}, 1_000);
      scope.interval(() => {}, 1_000);
      scope.add(() => {});
      expect(scope.size).to.equal(4);
      scope.dispose();
      expect(scope.size).to.equal(0);
      expect(clock.countTimers()).to.equal(0);
    });
  });
});

/** A host as the element starts: every documented default, written out. */
const host = (overrides: Partial<ScheduleConnectionConfig> = {}): ScheduleConnectionConfig => ({
  namespace: '/appointments',
  socketPath: '/socket.io',
  transports: 'websocket',
  eventName: 'dashboard_schedule_updated',
  appointmentsUrl: '/api/appointments/today',
  pollInterval: 30000,
  reconnectionAttempts: 60,
  reconnectionDelay: 1000,
  reconnectionDelayMax: 5000,
  requestTimeout: 10000,
  withCredentials: false,
  logLevel: 'warn',
  ...overrides,
});

describe('resolveConfig', () => {
  let invalid: sinon.SinonSpy<[string, string | number], void>;

  beforeEach(() => {
    invalid = sinon.spy((_attribute: string, _used: string | number) => {});
  });

  it('should document the defaults', () => {
    expect(DEFAULTS).to.deep.include({
      namespace: '/appointments',
      socketPath: '/socket.io',
      transports: 'websocket',
      eventName: 'dashboard_schedule_updated',
      appointmentsUrl: '/api/appointments/today',
      pollInterval: 30000,
      reconnectionAttempts: 60,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
      requestTimeout: 10000,
      withCredentials: false,
      logLevel: 'warn',
    });
  });

  it('should resolve the defaults against the page origin, without complaint', () => {
    const config = resolveConfig(host(), invalid);
    expect(config.socket).to.deep.equal({
      serverUrl: location.origin,
      namespace: '/appointments',
      path: '/socket.io',
      transports: ['websocket'],
      reconnectionAttempts: 60,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
      withCredentials: false,
    });
    expect(config.eventName).to.equal('dashboard_schedule_updated');
    expect(config.pollInterval).to.equal(30000);
    expect(config.requestTimeout).to.equal(10000);
    expect(config.timeZone).to.equal(undefined);
    expect(config.withCredentials).to.equal(false);
    expect(config.appointmentsUrl('2025-01-06')).to.equal(`${location.origin}/api/appointments/today`);
    expect(invalid.callCount).to.equal(0);
  });

  it('should keep sensible values as they are, without complaint', () => {
    const config = resolveConfig(
      host({
        serverUrl: 'https://pms.example-clinic.org',
        namespace: '/front-desk',
        socketPath: '/rt',
        transports: 'websocket polling',
        eventName: 'changed',
        pollInterval: 5000,
        reconnectionAttempts: 3,
        reconnectionDelay: 250,
        reconnectionDelayMax: 2000,
        requestTimeout: 1500,
        timeZone: 'Europe/Berlin',
        withCredentials: true,
      }),
      invalid,
    );
    expect(config.socket).to.deep.equal({
      serverUrl: 'https://pms.example-clinic.org',
      namespace: '/front-desk',
      path: '/rt',
      transports: ['websocket', 'polling'],
      reconnectionAttempts: 3,
      reconnectionDelay: 250,
      reconnectionDelayMax: 2000,
      withCredentials: true,
    });
    expect(config.eventName).to.equal('changed');
    expect(config.pollInterval).to.equal(5000);
    expect(config.requestTimeout).to.equal(1500);
    expect(config.timeZone).to.equal('Europe/Berlin');
    expect(config.withCredentials).to.equal(true);
    expect(invalid.callCount).to.equal(0);
  });

  type Resolved = ReturnType<typeof resolveConfig>;
  const read = {
    pollInterval: (config: Resolved) => config.pollInterval,
    requestTimeout: (config: Resolved) => config.requestTimeout,
    reconnectionDelay: (config: Resolved) => config.socket.reconnectionDelay,
    reconnectionDelayMax: (config: Resolved) => config.socket.reconnectionDelayMax,
    reconnectionAttempts: (config: Resolved) => config.socket.reconnectionAttempts,
  } as const;

  describe('nonsense numbers', () => {
    // field → its attribute and its default, written out
    const table: ReadonlyArray<readonly [keyof typeof read, string, number]> = [
      ['pollInterval', 'poll-interval', 30000],
      ['requestTimeout', 'request-timeout', 10000],
      ['reconnectionDelay', 'reconnection-delay', 1000],
      ['reconnectionDelayMax', 'reconnection-delay-max', 5000],
      ['reconnectionAttempts', 'reconnection-attempts', 60],
    ];

    for (const [field, attribute, fallback] of table) {
      for (const value of [NaN, 0, -0, -1, -5000, -Infinity, null]) {
        const label = Object.is(value, -0) ? '-0' : String(value);
        it(`should fall back to ${fallback} for ${field} = ${label}, and tell of ${attribute}`, () => {
          const config = resolveConfig(host({ [field]: value as number }), invalid);
          expect(read[field](config)).to.equal(fallback);
          expect(invalid.args).to.deep.equal([[attribute, fallback]]);
        });
      }
    }
  });

  describe('numbers out of range', () => {
    // field, attribute, given → used
    const table: ReadonlyArray<readonly [keyof typeof read, string, number, number]> = [
      ['pollInterval', 'poll-interval', 7, 1000],
      ['pollInterval', 'poll-interval', 999, 1000],
      ['pollInterval', 'poll-interval', 86_400_001, 86_400_000],
      ['requestTimeout', 'request-timeout', 1, 1000],
      ['requestTimeout', 'request-timeout', 120_001, 120_000],
      ['reconnectionDelay', 'reconnection-delay', 50, 100],
      ['reconnectionDelayMax', 'reconnection-delay-max', 300_001, 300_000],
      ['reconnectionDelayMax', 'reconnection-delay-max', 999, 1000],
      ['reconnectionAttempts', 'reconnection-attempts', 10_001, 10_000],
      ['reconnectionAttempts', 'reconnection-attempts', 2.4, 2],
      ['reconnectionAttempts', 'reconnection-attempts', 0.4, 1],
      // Infinity is a number out of range (Socket.IO's own "never give up"): clamped, not a fallback.
      ['reconnectionAttempts', 'reconnection-attempts', Infinity, 10_000],
      ['pollInterval', 'poll-interval', Infinity, 86_400_000],
    ];

    for (const [field, attribute, given, used] of table) {
      it(`should use ${used} for ${field} = ${given}, and tell of ${attribute}`, () => {
        const config = resolveConfig(host({ [field]: given }), invalid);
        expect(read[field](config)).to.equal(used);
        expect(invalid.args).to.deep.equal([[attribute, used]]);
      });
    }

    // field → the bounds, kept as they are
    const bounds: ReadonlyArray<readonly [keyof typeof read, number, number]> = [
      ['pollInterval', 1000, 86_400_000],
      ['requestTimeout', 1000, 120_000],
      ['reconnectionDelay', 100, 60_000],
      ['reconnectionAttempts', 1, 10_000],
    ];
    for (const [field, min, max] of bounds) {
      it(`should keep ${field} at its bounds ${min} and ${max}, without complaint`, () => {
        // A delay above the default cap comes with a cap of its own.
        const cap = { reconnectionDelayMax: 300_000 };
        expect(read[field](resolveConfig(host({ ...cap, [field]: min }), invalid))).to.equal(min);
        expect(read[field](resolveConfig(host({ ...cap, [field]: max }), invalid))).to.equal(max);
        expect(invalid.callCount).to.equal(0);
      });
    }

    it('should lower a reconnectionDelay above 60000 to 60000, and tell of reconnection-delay', () => {
      const config = resolveConfig(host({ reconnectionDelay: 60_001, reconnectionDelayMax: 300_000 }), invalid);
      expect(config.socket.reconnectionDelay).to.equal(60_000);
      expect(invalid.args).to.deep.equal([['reconnection-delay', 60_000]]);
    });

    it('should raise reconnectionDelayMax to reconnectionDelay when below it', () => {
      const config = resolveConfig(host({ reconnectionDelay: 2000, reconnectionDelayMax: 1500 }), invalid);
      expect(config.socket.reconnectionDelay).to.equal(2000);
      expect(config.socket.reconnectionDelayMax).to.equal(2000);
      expect(invalid.args).to.deep.equal([['reconnection-delay-max', 2000]]);
    });
  });

  describe('namespace', () => {
    const table: ReadonlyArray<readonly [string, string]> = [
      ['', '/appointments'],
      ['appointments', '/appointments'],
      ['/appointments', '/appointments'],
      ['//appointments', '/appointments'],
      ['front-desk', '/front-desk'],
    ];
    for (const [given, expected] of table) {
      it(`should resolve namespace ${JSON.stringify(given)} to ${expected}`, () => {
        expect(resolveConfig(host({ namespace: given }), invalid).socket.namespace).to.equal(expected);
      });
    }
  });

  it('should fall back to the defaults for empty strings, without complaint', () => {
    const config = resolveConfig(
      host({ socketPath: '', transports: '', eventName: '', appointmentsUrl: '', timeZone: '' }),
      invalid,
    );
    expect(config.socket.path).to.equal('/socket.io');
    expect(config.socket.transports).to.deep.equal(['websocket']);
    expect(config.eventName).to.equal('dashboard_schedule_updated');
    expect(config.appointmentsUrl('2025-01-06')).to.equal(`${location.origin}/api/appointments/today`);
    expect(config.timeZone).to.equal(undefined);
    expect(invalid.callCount).to.equal(0);
  });

  describe('transports', () => {
    it('should split transports on whitespace and commas', () => {
      expect(resolveConfig(host({ transports: ' polling \t websocket ' }), invalid).socket.transports).to.deep.equal([
        'polling',
        'websocket',
      ]);
      expect(resolveConfig(host({ transports: 'websocket,polling' }), invalid).socket.transports).to.deep.equal([
        'websocket',
        'polling',
      ]);
      expect(invalid.callCount).to.equal(0);
    });

    // given → used
    const table: ReadonlyArray<readonly [string, readonly string[]]> = [
      ['carrier-pigeon', ['websocket']],
      ['WebSocket', ['websocket']],
      ['   ', ['websocket']],
      ['websocket carrier-pigeon polling', ['websocket', 'polling']],
      ['websocket websocket', ['websocket']],
    ];
    for (const [given, used] of table) {
      it(`should use ${JSON.stringify(used)} for transports ${JSON.stringify(given)}`, () => {
        expect(resolveConfig(host({ transports: given }), invalid).socket.transports).to.deep.equal(used);
      });
    }

    // given → what is reported.
    const reportedTable: ReadonlyArray<readonly [string, string]> = [
      ['carrier-pigeon', 'websocket'],
      ['WebSocket', 'websocket'],
      ['   ', 'websocket'],
      ['websocket carrier-pigeon polling', 'websocket polling'],
      ['websocket websocket', 'websocket'],
    ];
    for (const [given, reported] of reportedTable) {
      it(`should tell of transports ${JSON.stringify(given)} replaced by ${JSON.stringify(reported)}`, () => {
        resolveConfig(host({ transports: given }), invalid);
        expect(invalid.args).to.deep.equal([['transports', reported]]);
      });
    }
  });

  describe('server-url', () => {
    it('should tell of a server-url without a scheme and use the page origin', () => {
      const config = resolveConfig(host({ serverUrl: 'pms.example-clinic.org' }), invalid);
      expect(invalid.args).to.deep.equal([['server-url', location.origin]]);
      expect(config.socket.serverUrl).to.equal(location.origin);
    });

    it('should raise a nonsense reconnection-delay-max to the reconnection-delay', () => {
      const config = resolveConfig(host({ reconnectionDelay: 10000, reconnectionDelayMax: NaN }), invalid);
      expect(config.socket.reconnectionDelayMax).to.equal(10000);
    });

    it('should tell of an unparseable server-url and use the page origin', () => {
      const config = resolveConfig(host({ serverUrl: 'http://' }), invalid);
      expect(invalid.args).to.deep.equal([['server-url', location.origin]]);
      expect(config.socket.serverUrl).to.equal(location.origin);
      expect(config.appointmentsUrl('2025-01-06')).to.equal(`${location.origin}/api/appointments/today`);
    });

    for (const serverUrl of ['mailto:desk@example-clinic.org', 'data:,x', 'javascript:void(0)', 'about:blank', 'file:///srv/x', 'ftp://files.example-clinic.org']) {
      it(`should tell of a server-url that is not http(s), ${serverUrl}, and use the page origin`, () => {
        const config = resolveConfig(host({ serverUrl }), invalid);
        expect(invalid.args).to.deep.equal([['server-url', location.origin]]);
        expect(config.socket.serverUrl).to.equal(location.origin);
        expect(config.appointmentsUrl('2025-01-06')).to.equal(`${location.origin}/api/appointments/today`);
      });
    }

    it('should use the page origin for an empty or absent server-url, without complaint', () => {
      expect(resolveConfig(host({ serverUrl: '' }), invalid).socket.serverUrl).to.equal(location.origin);
      expect(resolveConfig(host({ serverUrl: undefined }), invalid).socket.serverUrl).to.equal(location.origin);
      expect(invalid.callCount).to.equal(0);
    });

    it('should keep only the origin of a server-url with a path', () => {
      const config = resolveConfig(host({ serverUrl: 'https://pms.example-clinic.org:8443/some/path?x=1' }), invalid);
      expect(config.socket.serverUrl).to.equal('https://pms.example-clinic.org:8443');
      expect(invalid.callCount).to.equal(0);
    });
  });

  describe('time-zone', () => {
    it('should tell of an unknown time zone and use the browser zone', () => {
      const config = resolveConfig(host({ timeZone: 'Mars/Olympus_Mons' }), invalid);
      expect(config.timeZone).to.equal(undefined);
      expect(invalid.args).to.deep.equal([['time-zone', Intl.DateTimeFormat().resolvedOptions().timeZone]]);
    });
  });

  describe('appointmentsUrl', () => {
    it('should put the day in place of {date} and resolve against server-url', () => {
      const config = resolveConfig(
        host({ serverUrl: 'https://pms.example-clinic.org:8443', appointmentsUrl: '/api/appointments/{date}' }),
        invalid,
      );
      expect(config.appointmentsUrl('2025-01-06')).to.equal('https://pms.example-clinic.org:8443/api/appointments/2025-01-06');
      expect(config.appointmentsUrl('2025-01-07')).to.equal('https://pms.example-clinic.org:8443/api/appointments/2025-01-07');
    });

    it('should replace every {date}', () => {
      const config = resolveConfig(
        host({ serverUrl: 'https://pms.example-clinic.org', appointmentsUrl: '/api/{date}?from={date}' }),
        invalid,
      );
      expect(config.appointmentsUrl('2025-01-06')).to.equal('https://pms.example-clinic.org/api/2025-01-06?from=2025-01-06');
    });

    it('should resolve a relative path without a leading slash against the server origin', () => {
      const config = resolveConfig(host({ serverUrl: 'https://pms.example-clinic.org/ignored/', appointmentsUrl: 'today.json' }), invalid);
      expect(config.appointmentsUrl('2025-01-06')).to.equal('https://pms.example-clinic.org/today.json');
    });

    it('should keep an absolute appointmentsUrl on its own host', () => {
      const config = resolveConfig(
        host({ serverUrl: 'https://pms.example-clinic.org', appointmentsUrl: 'https://rest.example-clinic.org/day/{date}.json' }),
        invalid,
      );
      expect(config.appointmentsUrl('2025-01-06')).to.equal('https://rest.example-clinic.org/day/2025-01-06.json');
    });
  });
});

describe('configReader', () => {
  it('should report each replaced value once, however often the host is read', () => {
    const reports: Array<{ attribute: string; value: string | number }> = [];
    const readConfig = configReader((fields) => reports.push(fields));
    readConfig(host({ pollInterval: NaN }));
    readConfig(host({ pollInterval: NaN }));
    readConfig(host({ pollInterval: 5 }));
    readConfig(host({ pollInterval: 5 }));
    readConfig(host({ pollInterval: NaN, serverUrl: 'http://' }));
    expect(reports).to.deep.equal([
      { attribute: 'poll-interval', value: 30000 },
      { attribute: 'poll-interval', value: 1000 },
      { attribute: 'server-url', value: location.origin },
    ]);
  });

  it('should return the resolved configuration', () => {
    const config = configReader(() => {})(host({ pollInterval: 5000 }));
    expect(config.pollInterval).to.equal(5000);
  });
});

describe('configChanges', () => {
  const none: ConfigChange = { socket: false, auth: false, rest: false, poll: false, any: false };

  // changed key → what it touches, written out
  const table: ReadonlyArray<readonly [string, ConfigChange]> = [
    ['serverUrl', { socket: true, auth: false, rest: true, poll: false, any: true }],
    ['namespace', { socket: true, auth: false, rest: false, poll: false, any: true }],
    ['socketPath', { socket: true, auth: false, rest: false, poll: false, any: true }],
    ['transports', { socket: true, auth: false, rest: false, poll: false, any: true }],
    ['eventName', { socket: true, auth: false, rest: false, poll: false, any: true }],
    ['reconnectionAttempts', { socket: true, auth: false, rest: false, poll: false, any: true }],
    ['reconnectionDelay', { socket: true, auth: false, rest: false, poll: false, any: true }],
    ['reconnectionDelayMax', { socket: true, auth: false, rest: false, poll: false, any: true }],
    ['withCredentials', { socket: true, auth: false, rest: true, poll: false, any: true }],
    ['appointmentsUrl', { socket: false, auth: false, rest: true, poll: false, any: true }],
    ['timeZone', { socket: false, auth: false, rest: true, poll: false, any: true }],
    ['fetchAppointments', { socket: false, auth: false, rest: true, poll: false, any: true }],
    ['authToken', { socket: false, auth: true, rest: true, poll: false, any: true }],
    ['pollInterval', { socket: false, auth: false, rest: false, poll: true, any: true }],
    ['requestTimeout', { socket: false, auth: false, rest: false, poll: false, any: true }],
    ['heading', none],
    ['logLevel', none],
    ['compact', none],
    ['connectionState', none],
  ];

  for (const [key, expected] of table) {
    it(`should sort a change of ${key}`, () => {
      expect(configChanges([key])).to.deep.equal(expected);
    });
  }

  it('should report nothing for no change', () => {
    expect(configChanges([])).to.deep.equal(none);
  });

  it('should combine several changes', () => {
    expect(configChanges(['heading', 'pollInterval', 'authToken'])).to.deep.equal({
      socket: false,
      auth: true,
      rest: true,
      poll: true,
      any: true,
    });
  });

  it('should read the keys of the Map Lit passes to willUpdate', () => {
    const changed = new Map<PropertyKey, unknown>([
      ['namespace', '/old'],
      ['requestTimeout', 10000],
    ]);
    expect(configChanges(changed.keys())).to.deep.equal({ socket: true, auth: false, rest: false, poll: false, any: true });
  });
});
