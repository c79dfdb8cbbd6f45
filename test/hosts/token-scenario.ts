/**
 * What every framework host must show, run against a real backend: the host passes
 * `authToken` and hears the element's three events; the handshake and REST carry the token;
 * a new token re-handshakes with it. Hosts render "N appointments · state" and the last
 * error message, which is what is read here.
 */
import { expect } from '@open-wc/testing';
import { Backend, closeBackends, sampleDay, todayAt, until } from '../helpers.js';

/** A host on the page, as its test mounted it. */
export interface MountedHost {
  /** The host's own text (not the element's). */
  text(): string;
  /** Gives the host a new token, as its app would after signing in again. */
  setToken(token: string): Promise<void> | void;
  unmount(): void;
}

export type MountHost = (target: HTMLElement, serverUrl: string, token: string) => Promise<MountedHost> | MountedHost;

const tokens = async (backend: Backend) => {
  const stats = await backend.stats();
  return { handshakes: stats.handshakes.map((h) => h.auth.token), rest: stats.authorizations };
};

export async function hostPassesTokenAndHearsEvents(mount: MountHost): Promise<void> {
  const backend = await Backend.start({ appointments: sampleDay() });
  const target = document.body.appendChild(document.createElement('div'));
  const host = await mount(target, backend.url, 'token-1');
  try {
    await until(() => host.text().includes('3 appointments · live'), 'the host heard the day and the live state');
    expect(target.querySelector('schedule-dashboard')?.hasAttribute('authtoken'), 'the token stays out of the DOM').to.equal(false);
    const first = await tokens(backend);
    expect(first.handshakes).to.deep.equal(['token-1']);
    expect(first.rest).to.include('Bearer token-1');

    await backend.upsert({ id: 'walk-in', start: todayAt(7), patientName: 'Walk In' });
    await until(() => host.text().includes('4 appointments · live'), 'a socket change reached the host');
    await backend.emit(42);
    await until(() => host.text().includes('Update rejected'), 'the host heard schedule-error');

    await host.setToken('token-2');
    await until(async () => (await tokens(backend)).handshakes.includes('token-2'), 'a new handshake with the new token');
    await until(async () => (await tokens(backend)).rest.includes('Bearer token-2'), 'REST with the new token');
    await until(() => host.text().includes('· live'), 'live again');
    const second = await tokens(backend);
    expect(second.handshakes, 'one handshake per token').to.deep.equal(['token-1', 'token-2']);
    expect(second.rest.slice(second.rest.indexOf('Bearer token-2')).every((auth) => auth === 'Bearer token-2')).to.equal(true);
  } finally {
    host.unmount();
    target.remove();
    await closeBackends();
  }
}
