import minifyHTML from '@lit-labs/rollup-plugin-minify-html-literals';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Rollup } from 'vite';

type PluginContext = Rollup.PluginContext;

// Two library builds (one build cannot keep dependencies external for one format and
// bundle them for another):
//   vite build                 → dist/schedule-dashboard.js, for bundlers (lit and
//                                socket.io-client stay external), and dist/react.js, the
//                                React component (react and @lit/react stay the host's too)
//   vite build --mode bundled  → dist/schedule-dashboard.bundled.js (ES module) and
//                                dist/schedule-dashboard.iife.js (classic script), everything inside
/**
 * The script-tag builds leave out Engine.IO's WebTransport transport: the element's transports
 * are `websocket` and `polling` (README, "Attributes and properties"), and the 34 KB budget
 * has no room for a third. Engine.IO's transport table still names it, so it gets a stand-in
 * that refuses to open (never reached: the element drops the name `webtransport`).
 */
const withoutWebTransport = {
  name: 'without-webtransport',
  enforce: 'pre' as const,
  resolveId(source: string, importer: string | undefined) {
    return source === './webtransport.js' && importer?.includes('engine.io-client') ? '\0webtransport-stand-in' : null;
  },
  load(id: string) {
    return id === '\0webtransport-stand-in'
      ? 'export class WT { constructor() { throw new Error("WebTransport is not in this build"); } }'
      : null;
  },
};

/**
 * The script-tag builds carry English only: the element's other languages are files of their
 * own beside the script, imported when a page first needs one (src/i18n/languages.script-tag.ts).
 */
const languagesFromFiles = {
  name: 'languages-from-files',
  enforce: 'pre' as const,
  resolveId(source: string, importer: string | undefined) {
    return source === './languages.js' && importer?.endsWith('/src/i18n/localize.ts')
      ? fileURLToPath(new URL('src/i18n/languages.script-tag.ts', import.meta.url))
      : null;
  },
};

/** `vite build --mode translations`: dist/translations/{de,fr,es}.js, one self-contained ES module each. */
const translations = defineConfig({
  build: {
    target: 'es2022',
    emptyOutDir: false,
    minify: 'terser',
    lib: {
      entry: { de: 'src/i18n/de.ts', fr: 'src/i18n/fr.ts', es: 'src/i18n/es.ts' },
      formats: ['es'],
      fileName: (_format, entry) => `translations/${entry}.js`,
    },
  },
});

/**
 * The script-tag builds read and write Socket.IO packets as text only (protocol 5), which is
 * what made room for the languages in their 34 KB (about 1.3 KB gzip).
 * - Writing: the element sends no events and acknowledges none: its packets are CONNECT (with
 *   `auth`) and DISCONNECT, written character for character as socket.io-parser's
 *   `encodeAsString` writes them.
 * - Reading: `<type>[<namespace>,][<id>][<JSON data>]` for the types 0–4 (CONNECT, DISCONNECT,
 *   EVENT, ACK, CONNECT_ERROR). The payloads are JSON (README, "Payloads"): a packet with binary
 *   attachments (types 5 and 6), or data that is not JSON, throws, which socket.io-client takes
 *   as a parse error (it closes and reconnects; the REST fallback covers the gap).
 * The build for bundlers uses socket.io-parser as it is.
 */
const withTextEncoder = {
  name: 'socket-io-text-encoder',
  enforce: 'pre' as const,
  async resolveId(this: PluginContext, source: string, importer: string | undefined) {
    if (source !== 'socket.io-parser' || !importer?.includes('socket.io-client')) return null;
    const parser = await this.resolve(source, importer, { skipSelf: true });
    return parser ? `\0socket-io-text-encoder:${parser.id}` : null;
  },
  load(id: string) {
    if (!id.startsWith('\0socket-io-text-encoder:')) return null;
    const parser = JSON.stringify(id.slice('\0socket-io-text-encoder:'.length));
    return `import { Emitter } from "@socket.io/component-emitter";
export { PacketType, protocol } from ${parser};
export class Decoder extends Emitter {
  add(text) {
    const packet = typeof text === "string" && /^([0-4])(\\/[^,]*,)?(\\d*)([^]*)$/.exec(text);
    if (!packet) throw new Error("not a text packet");
    const [, type, nsp, id, data] = packet;
    this.emitReserved("decoded", { type: +type, nsp: nsp ? nsp.slice(0, -1) : "/", ...(id && { id: +id }), ...(data && { data: JSON.parse(data) }) });
  }
  destroy() {}
}
export class Encoder {
  encode(packet) {
    let text = "" + packet.type;
    if (packet.nsp && packet.nsp !== "/") text += packet.nsp + ",";
    if (packet.id != null) text += packet.id;
    if (packet.data != null) text += JSON.stringify(packet.data);
    return [text];
  }
}`;
  },
};

/**
 * Engine.IO, likewise, gets text packets only from the element (its Socket.IO packets above,
 * pongs and upgrade probes): engine.io-parser's `encodePacket` is replaced by its own
 * last line, the text case, without the Blob and ArrayBuffer cases (and their base64 reader)
 * that nothing here reaches. Decoding, binary included, is engine.io-parser's own.
 */
const withTextPackets = {
  name: 'engine-io-text-packets',
  enforce: 'pre' as const,
  async resolveId(this: PluginContext, source: string, importer: string | undefined) {
    if (source !== './encodePacket.js' || !importer?.includes('engine.io-parser')) return null;
    const commons = await this.resolve('./commons.js', importer, { skipSelf: true });
    return commons ? `\0engine-io-text-packets:${commons.id}` : null;
  },
  load(id: string) {
    if (!id.startsWith('\0engine-io-text-packets:')) return null;
    const commons = JSON.stringify(id.slice('\0engine-io-text-packets:'.length));
    return `import { PACKET_TYPES } from ${commons};
export const encodePacket = ({ type, data }, supportsBinary, callback) => callback(PACKET_TYPES[type] + (data || ""));
export function encodePacketToBinary() { throw new Error("binary packets are not in this build"); }`;
  },
};

/**
 * Two of Engine.IO's helpers from before every browser had the platform's own, in the
 * script-tag builds replaced by it (about 0.6 KB gzip):
 * - parseuri, a regular expression that reads the server's URL: `URL` reads it. The element
 *   always passes an http(s) origin (src/config.ts); Engine.IO reads its host (an IPv6
 *   address without brackets, as parseuri gives it), protocol, port and query.
 * - base64-arraybuffer's `decode`, for binary packets sent as base64: `atob`. (Binary data
 *   is a parse error in these builds anyway, see `withTextEncoder`.)
 */
const PLATFORM_STAND_INS: Record<string, string> = {
  './contrib/parseuri.js': `export function parse(text) {
  const url = new URL(text.includes("://") ? text : "http://" + text);
  return { host: url.hostname.replace(/^\\[(.*)\\]$/, "$1"), protocol: url.protocol.slice(0, -1), port: url.port, query: url.search.slice(1) };
}`,
  './contrib/base64-arraybuffer.js': 'export const decode = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0)).buffer;',
};
const withPlatformParts = {
  name: 'engine-io-platform-parts',
  enforce: 'pre' as const,
  resolveId(source: string, importer: string | undefined) {
    return source in PLATFORM_STAND_INS && /engine\.io-(client|parser)/.test(importer ?? '') ? `\0platform:${source}` : null;
  },
  load(id: string) {
    return id.startsWith('\0platform:') ? PLATFORM_STAND_INS[id.slice('\0platform:'.length)] : null;
  },
};

/** socket.io-client's entry module (`import { Manager } from 'socket.io-client'`). */
const SOCKET_IO_ENTRY = /socket\.io-client[\\/]build[\\/]esm[\\/]index\.js$/;

export default defineConfig(({ mode }) => {
  if (mode === 'translations') return translations;
  const bundled = mode === 'bundled';
  return {
    // Lit's html`` and css`` literals ship as written, indentation and all: Lit's own plugin
    // minifies them at build time (the source stays readable; the script-tag builds shrink).
    plugins: [minifyHTML(), ...(bundled ? [withoutWebTransport, withPlatformParts, withTextEncoder, withTextPackets, languagesFromFiles] : [])],
    build: {
      target: 'es2022',
      // The script-tag builds: terser (two passes) finds about 0.3 KB gzip more than Vite's default
      // minifier in code this size; rolldown's own pass then takes out the whitespace that
      // Vite's library mode keeps in an ES module.
      ...(bundled && { minify: 'terser' as const, terserOptions: { module: true, ecma: 2020 as const, compress: { passes: 2 } } }),
      emptyOutDir: !bundled,
      sourcemap: true,
      lib: {
        // The React component is an entry of the bundlers' build only: the script-tag builds
        // (and their size budget) never see React.
        entry: bundled ? 'src/schedule-dashboard.ts' : { 'schedule-dashboard': 'src/schedule-dashboard.ts', react: 'src/react.ts' },
        name: 'ScheduleDashboard',
        formats: bundled ? ['es', 'iife'] : ['es'],
        fileName: (format, entry) =>
          bundled ? `schedule-dashboard.${format === 'es' ? 'bundled' : 'iife'}.js` : `${entry}.js`,
      },
      rolldownOptions: {
        external: bundled ? [] : [/^lit($|\/)/, /^@lit\//, /^socket\.io-client($|\/)/, /^react($|\/)/],
        // The React entry imports the element's entry as it is, not through a shared chunk.
        preserveEntrySignatures: 'allow-extension' as const,
        ...(bundled && {
          // The script-tag files are finished bundles: the `/* @__PURE__ */` marks rolldown would
          // keep for a bundler downstream have nothing left to tree-shake (legal comments stay).
          output: { minify: true, comments: { annotation: false } },
          // socket.io-client's entry module adds `io()` (its URL parsing and Manager cache) as it
          // loads, and declares no `sideEffects`: the element makes its own Manager and never
          // calls `io()`, so that module is marked side-effect free and only `Manager` stays.
          treeshake: { moduleSideEffects: (id: string) => (SOCKET_IO_ENTRY.test(id) ? false : undefined) },
        }),
      },
    },
  };
});
