/**
 * The bearer token: a string, or a function that returns one (or a Promise of one),
 * asked for at every handshake and every REST request.
 *
 * A token function gets its own time limit. One that throws, hangs past the limit or
 * answers with nothing yields no token (the request goes without one, and the server
 * decides); the owner logs `auth.token-failed`, never the token.
 */

import type { AuthToken } from './config.js';

/** The token to send, or undefined; `failed` hears when the token function threw or hung. */
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
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
