/**
 * One REST load of today's appointments: ETag revalidation, the bearer token, a timeout,
 * and failures named by fixed reasons, never by the answer's body (which may name patients).
 */

/** A host app's own loader, used instead of `appointments-url`. */
export type FetchAppointments = (signal: AbortSignal) => Promise<unknown>;

export type FetchFailureReason =
  | 'http'
  | 'auth'
  | 'timeout'
  | 'network'
  | 'bad-json'
  | 'not-a-list'
  | 'other-day'
  | 'unusable'
  | 'too-large'
  | 'token'
  | 'aborted';

/** A REST body larger than this is refused as too large (README, "Payloads"). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Why a load failed, in words safe for logs. */
export class FetchFailure {
  constructor(
    readonly reason: FetchFailureReason,
    readonly status?: number,
  ) {}
}

export interface Etag {
  readonly url: string;
  readonly value: string;
}

export type LoadResult = { readonly body: unknown; readonly etag?: Etag } | { readonly notModified: true };

export interface LoadOptions {
  /** The absolute URL, asked for only when there is no `loader`. */
  readonly url: () => string;
  /** Rejects with a `FetchFailure('token')` when the token function failed or hung. */
  readonly token: () => Promise<string | undefined>;
  /** The last answer's ETag, sent as `If-None-Match` when its URL is this one. */
  readonly etag?: Etag;
  readonly withCredentials: boolean;
  readonly timeoutMs: number;
  readonly loader?: FetchAppointments;
}

/**
 * Loads once. Rejects with a `FetchFailure`: `aborted` when `signal` aborts, `timeout`
 * after `timeoutMs`, and so on.
 */
export async function loadAppointments(options: LoadOptions, signal: AbortSignal): Promise<LoadResult> {
  // The token comes first, under its own time limit: the request's limit starts once it is
  // had, and a token that cannot be had is never blamed on the server.
  const token = options.loader ? undefined : await options.token();
  if (signal.aborted) throw new FetchFailure('aborted');
  // One signal for "superseded" and "timed out", from the platform.
  const combined = AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]);
  // A host loader that ignores its signal still loses the race against it. The listener goes
  // with the load (`done`): left on the signal, it would hold the answer until the timeout.
  const done = new AbortController();
  const untilAborted = <T>(work: Promise<T>) =>
    Promise.race([work, new Promise<never>((_, reject) => combined.addEventListener('abort', reject, { once: true, signal: done.signal }))]);
  try {
    const { loader } = options;
    if (loader) return { body: await untilAborted(Promise.resolve().then(() => loader(combined))) };
    const url = options.url();
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (options.etag?.url === url) headers['If-None-Match'] = options.etag.value;
    const response = await fetch(url, {
      headers,
      signal: combined,
      // ETags are handled here, so the HTTP cache must not answer for the server.
      cache: 'no-store',
      credentials: options.withCredentials ? 'include' : 'same-origin',
      // The token and the schedule never cross to an origin the page did not name.
      redirect: 'error',
    });
    if (response.status === 304) return { notModified: true };
    if (response.status === 401 || response.status === 403) throw new FetchFailure('auth', response.status);
    if (!response.ok) throw new FetchFailure('http', response.status);
    if (Number(response.headers.get('Content-Length')) > MAX_BODY_BYTES) {
      void response.body?.cancel();
      throw new FetchFailure('too-large', response.status);
    }
    const text = await untilAborted(response.text());
    // Characters, not bytes: a body of more than 10 M characters is over 10 MB in any encoding.
    if (text.length > MAX_BODY_BYTES) throw new FetchFailure('too-large', response.status);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new FetchFailure('bad-json', response.status);
    }
    const etag = response.headers.get('ETag');
    return { body, ...(etag && { etag: { url, value: etag } }) };
  } catch (error) {
    if (error instanceof FetchFailure) throw error;
    throw new FetchFailure(signal.aborted ? 'aborted' : combined.aborted ? 'timeout' : 'network');
  } finally {
    done.abort();
  }
}
