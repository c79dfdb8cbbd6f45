/**
 * The bearer token: a string, or a function that returns one (or a Promise of one),
 * asked for at every handshake and every REST request.
 *
 * A token function gets its own time limit (`request-timeout`). One that throws or hangs
 * past the limit is a token that cannot be had: `failed` is told (the owner logs
 * `auth.token-failed`, never the token) and the promise rejects, so that REST does not
 * send a request the server would refuse and blame it; a handshake goes without one.
 * A function that answers with nothing means "no token".
 */

import type { AuthToken } from './config.js';

/** The token to send, or undefined for none; rejects when the token function threw or hung. */
export async function resolveToken(authToken: AuthToken | undefined, timeoutMs: number, failed: () => void): Promise<string | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const value = await Promise.race([
      typeof authToken === 'function' ? authToken() : authToken,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    failed();
    throw new Error('token-failed');
  } finally {
    clearTimeout(timer);
  }
}
