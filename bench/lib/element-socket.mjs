// The element's own Socket.IO configuration, for clients in Node. `managerOptions` and
// `handshakeAuth` come from src/connection/socket.ts itself, so the reconnect storm uses exactly
// the backoff, transports and handshake the element uses, and follows them when they
// change. Node 20 cannot run TypeScript: the file is transpiled (types stripped, no
// type checking) into node_modules/.cache, from where `socket.io-client` resolves.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import ts from 'typescript';

const source = new URL('../../src/connection/socket.ts', import.meta.url);
const cacheDir = new URL('../../node_modules/.cache/schedule-dashboard-bench/', import.meta.url);

export async function loadElementSocket() {
  const { outputText } = ts.transpileModule(await readFile(source, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    fileName: 'socket.ts',
  });
  await mkdir(cacheDir, { recursive: true });
  const out = new URL('socket.mjs', cacheDir);
  await writeFile(out, outputText);
  return import(out.href);
}

/**
 * The settings an element with no attributes set derives (its documented defaults:
 * namespace `/appointments`, path `/socket.io`, websocket only, 60 attempts, 1–5 s backoff).
 */
export function defaultSettings(serverUrl) {
  return {
    serverUrl,
    namespace: '/appointments',
    path: '/socket.io',
    transports: ['websocket'],
    reconnectionAttempts: 60,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
    withCredentials: false,
  };
}
