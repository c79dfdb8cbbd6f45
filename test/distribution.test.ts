import { expect } from '@open-wc/testing';
import { Backend, closeBackends, sampleDay, todayAt, until } from './helpers.js';

/** Loads a page made of `body` alone in an iframe, as a clinic's intranet page would be. */
async function page(body: string, head = '', lang = 'en'): Promise<Document> {
  const frame = document.createElement('iframe');
  frame.style.width = '800px';
  frame.style.height = '600px';
  frame.srcdoc = `<!doctype html><html lang="${lang}"><head>${head}<title>page</title></head><body>${body}</body></html>`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.appendChild(frame);
  frames.push(frame);
  await loaded;
  return frame.contentDocument!;
}
const frames: HTMLIFrameElement[] = [];

const names = (doc: Document) =>
  [...(doc.querySelector('schedule-dashboard')?.shadowRoot?.querySelectorAll('[part="patient"]') ?? [])].map((p) => p.textContent);
const heading = (doc: Document) => doc.querySelector('schedule-dashboard')?.shadowRoot?.querySelector('[part="heading"]')?.textContent?.trim();
const badge = (doc: Document) => doc.querySelector('schedule-dashboard')?.shadowRoot?.querySelector('[part="badge"]')?.textContent ?? '';

describe('distributions', () => {
  afterEach(async () => {
    for (const frame of frames.splice(0)) frame.remove();
    await closeBackends();
  });

  for (const [label, tag] of [
    ['<script src> with the IIFE', '<script src="/dist/schedule-dashboard.iife.js"></script>'],
    ['<script type="module"> with the bundled ESM', '<script type="module" src="/dist/schedule-dashboard.bundled.js"></script>'],
  ]) {
    it(`should render the day and take a live update from ${label}`, async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const doc = await page(`${tag}<schedule-dashboard server-url="${backend.url}"></schedule-dashboard>`);
      await until(() => names(doc).length === 3, 'the day is shown');
      await until(() => badge(doc).includes('Live'), 'live');
      await backend.upsert({ id: 'u', start: todayAt(7), patientName: 'Una Update' });
      await until(() => names(doc)[0] === 'Una Update', 'the live update is shown');
    });
  }

  it('should read a refusal (CONNECT_ERROR) and a snapshot, changes and deletions through the IIFE’s text-only packet reader', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const doc = await page('<script src="/dist/schedule-dashboard.iife.js"></script>');
    const errors: Array<{ kind: string; reason?: string; message: string }> = [];
    const el = Object.assign(doc.createElement('schedule-dashboard'), { serverUrl: backend.url, namespace: '/nope', logLevel: 'silent' });
    el.addEventListener('schedule-error', (e) => errors.push((e as CustomEvent).detail));
    doc.body.append(el);
    await until(() => errors.some((e) => e.reason === 'invalid-namespace'), 'the refusal read');
    expect(errors.find((e) => e.reason === 'invalid-namespace')).to.deep.include({ kind: 'socket', message: 'Live updates unavailable: the server does not know this namespace; polling.' });
    await until(() => names(doc).length === 3, 'the day, by REST');

    el.setAttribute('namespace', '/appointments');
    await until(() => badge(doc).startsWith('Live'), 'live on the right namespace');
    await backend.setAppointments([{ id: 's', start: todayAt(6), patientName: 'Sam Snapshot' }], 'snapshot');
    await until(() => names(doc).join() === 'Sam Snapshot', 'the snapshot');
    await backend.upsert({ id: 't', start: todayAt(7), patientName: 'Tia Two' });
    await until(() => names(doc).join() === 'Sam Snapshot,Tia Two', 'a created appointment');
    await backend.remove('s');
    await until(() => names(doc).join() === 'Tia Two', 'a deletion');
  });

  it('should speak German from <script src> with the IIFE, loading dist/translations/de.js beside it', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const doc = await page(`<script src="/dist/schedule-dashboard.iife.js"></script><schedule-dashboard server-url="${backend.url}"></schedule-dashboard>`, '', 'de');
    await until(() => heading(doc) === 'Heutige Termine', 'German');
    await until(() => badge(doc).startsWith('Live · Aktualisiert'), 'live, in German');
    const statuses = () => [...(doc.querySelector('schedule-dashboard')?.shadowRoot?.querySelectorAll('[part="status"]') ?? [])].map((s) => s.textContent);
    await until(() => statuses().join() === 'Angemeldet,Bestätigt,Gebucht', 'statuses in German');
    // The classic script's global carries what a host needs to add a language.
    const global = (doc.defaultView as unknown as { ScheduleDashboard: Record<string, unknown> }).ScheduleDashboard;
    expect(global.registerTranslation).to.be.a('function');
    expect(global.englishTranslation).to.include({ $code: 'en', heading: "Today's appointments" });
  });

  it('should stay in English, and log language.unavailable once, when the translation cannot be had (a script from a blob: URL)', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const code = await (await fetch('/dist/schedule-dashboard.iife.js')).text();
    const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    const doc = await page(`<script src="${url}"></script>`, '', 'de');
    const records: Array<{ event: string; lang?: unknown }> = [];
    const el = Object.assign(doc.createElement('schedule-dashboard'), { serverUrl: backend.url, logger: (r: { event: string }) => records.push(r) });
    doc.body.append(el);
    await until(() => badge(doc).startsWith('Live · Updated'), 'live, in English');
    expect(heading(doc)).to.equal("Today's appointments");
    expect(records.filter((r) => r.event === 'language.unavailable')).to.deep.equal([records.find((r) => r.event === 'language.unavailable')]);
    expect(records.find((r) => r.event === 'language.unavailable')).to.include({ level: 'warn', lang: 'de' });
    URL.revokeObjectURL(url);
  });

  // The script-tag builds encode packets as text only (vite.config.ts): a handshake with a token,
  // a new token, long-polling and an upgrade from it, and a reconnect all go through that encoding.
  for (const [label, tag, transports] of [
    ['the IIFE', '<script src="/dist/schedule-dashboard.iife.js"></script>', 'polling'],
    ['the bundled ESM', '<script type="module" src="/dist/schedule-dashboard.bundled.js"></script>', 'polling websocket'],
  ]) {
    it(`should go live over ${transports} from ${label}, handshake again with a new token and come back after a drop`, async () => {
      const backend = await Backend.start({ appointments: sampleDay() });
      const doc = await page(`${tag}<schedule-dashboard server-url="${backend.url}" transports="${transports}"></schedule-dashboard>`);
      await until(() => names(doc).length === 3, 'the day is shown');
      await until(() => badge(doc).includes('Live'), 'live');
      const handshakes = async () => (await backend.stats()).handshakes;
      expect((await handshakes())[0]).to.deep.include({ transport: 'polling' });
      doc.querySelector<HTMLElement & { authToken?: string }>('schedule-dashboard')!.authToken = 'second-token';
      await until(async () => (await handshakes()).some((h) => h.auth.token === 'second-token'), 'the new token');
      await backend.dropClients();
      await until(async () => (await handshakes()).length >= 3, 'a third handshake');
      await until(() => badge(doc).includes('Live'), 'live again');
      await backend.upsert({ id: 'u', start: todayAt(7), patientName: 'Una Update' });
      await until(() => names(doc)[0] === 'Una Update', 'the live update is shown');
    });
  }

  it('should work under a strict Content-Security-Policy with Trusted Types, with no violation', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const socketOrigin = backend.url.replace(/^http/, 'ws');
    const policy = `default-src 'self'; script-src 'self'; require-trusted-types-for 'script'; connect-src 'self' ${backend.url} ${socketOrigin}`;
    const doc = await page(
      `<schedule-dashboard server-url="${backend.url}" log-level="silent"></schedule-dashboard>`,
      `<meta http-equiv="Content-Security-Policy" content="${policy}">
      <script src="/test/fixtures/csp-probe.js"></script>
      <script type="module" src="/dist/schedule-dashboard.bundled.js"></script>`,
      'de',
    );
    const win = doc.defaultView as unknown as Window & { violations: string[]; errors: string[] };
    await until(() => names(doc).length === 3, 'the day is shown');
    await until(() => badge(doc).includes('Live'), 'live');
    // German, from dist/translations/de.js, imported under the same policy.
    await until(() => heading(doc) === 'Heutige Termine', 'German');
    await backend.upsert({ id: 'csp', start: todayAt(7), patientName: 'Strict Page' });
    await until(() => names(doc)[0] === 'Strict Page', 'the live update is shown');
    // The probe really listens: a forbidden sink is reported (then the list is checked clean of it).
    expect(() => {
      doc.createElement('div').innerHTML = '<b>x</b>';
    }).to.throw();
    await until(() => win.violations.length === 1, 'the probe saw the deliberate violation');
    expect(win.violations[0]).to.match(/^require-trusted-types-for/);
    expect(win.errors).to.deep.equal([]);
  });

  it('should load both bundles on one page under the documented Trusted Types header, with no error or violation', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const socketOrigin = backend.url.replace(/^http/, 'ws');
    // The README's header for pages that name their Trusted Types policies.
    const policy = `default-src 'self'; script-src 'self'; require-trusted-types-for 'script'; trusted-types lit-html 'allow-duplicates'; connect-src 'self' ${backend.url} ${socketOrigin}`;
    const doc = await page(
      `<schedule-dashboard server-url="${backend.url}" log-level="silent"></schedule-dashboard>`,
      `<meta http-equiv="Content-Security-Policy" content="${policy}">
      <script src="/test/fixtures/csp-probe.js"></script>
      <script src="/dist/schedule-dashboard.iife.js"></script>
      <script type="module" src="/dist/schedule-dashboard.bundled.js"></script>`,
    );
    const win = doc.defaultView as unknown as Window & { violations: string[]; errors: string[] };
    await until(() => names(doc).length === 3, 'the day is shown');
    await until(() => badge(doc).includes('Live'), 'live');
    // Both bundles ran (the second one's policy too): the classic script's global is there.
    expect((win as unknown as { ScheduleDashboard?: unknown }).ScheduleDashboard).not.to.equal(undefined);
    expect(win.errors).to.deep.equal([]);
    expect(win.violations).to.deep.equal([]);
  });

  it('should define the element once, without an error, when both bundles load on one page', async () => {
    const backend = await Backend.start({ appointments: sampleDay() });
    const doc = await page(`<script>window.errors = []; addEventListener('error', (e) => errors.push(String(e.message)));</script>
      <script src="/dist/schedule-dashboard.iife.js"></script>
      <script type="module" src="/dist/schedule-dashboard.bundled.js"></script>
      <schedule-dashboard server-url="${backend.url}" log-level="silent"></schedule-dashboard>`);
    await until(() => names(doc).length === 3, 'the day is shown');
    const win = doc.defaultView as unknown as Window & { errors: string[]; ScheduleDashboard: { ScheduleDashboard: unknown } };
    expect(win.errors).to.deep.equal([]);
    expect(win.customElements.get('schedule-dashboard')).to.equal(win.ScheduleDashboard.ScheduleDashboard);
  });
});
