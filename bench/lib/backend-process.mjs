// The reference backend in a process of its own, for the reconnect storm: killing it
// is a real server restart (every TCP connection reset by the kernel, the port closed
// until the new process listens), and its work does not share an event loop with the
// thousand clients whose reconnects are being timed.
import { startBackend } from '../../demo/server/backend.js';

const backend = await startBackend({ port: Number(process.env.PORT) || 0 });
process.send?.({ ready: true, port: backend.port, url: backend.url });
