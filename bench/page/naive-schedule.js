// The baseline for the render scenario: what a page without a view library would do.
// It keeps the day in an array and, whenever anything changes, sorts it and rebuilds
// the whole list as one innerHTML string, with no keys and no reuse of rows. It is not
// a straw man: times are formatted with one cached Intl formatter, text is escaped,
// renders are batched in a microtask (as Lit batches them), and `updateComplete` says
// when a render is done, so that it is timed exactly as the element is. It does less
// than the element: no validation of payloads, no badge, no metrics, no live region.

const LABELS = {
  scheduled: 'Scheduled',
  confirmed: 'Confirmed',
  'checked-in': 'Checked in',
  'in-room': 'In room',
  completed: 'Completed',
  cancelled: 'Cancelled',
  'no-show': 'No-show',
};

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (value) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);

export class NaiveSchedule extends HTMLElement {
  /** `(signal) => Promise<list>`, the same loader the element is given. */
  fetchAppointments = undefined;
  items = [];
  updateComplete = Promise.resolve();
  #renderQueued = false;
  #format = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
  }

  connectedCallback() {
    this.fetchAppointments?.(new AbortController().signal).then((list) => {
      this.items = [...list];
      this.#changed('initial');
    });
  }

  /** Applies one change event ({ action, appointment }). */
  apply({ action, appointment }) {
    const index = this.items.findIndex((a) => String(a.id) === String(appointment.id));
    if (action === 'deleted') {
      if (index >= 0) this.items.splice(index, 1);
    } else if (index >= 0) {
      this.items[index] = appointment;
    } else {
      this.items.push(appointment);
    }
    this.#changed('socket');
  }

  #changed(source) {
    if (!this.#renderQueued) {
      this.#renderQueued = true;
      this.updateComplete = Promise.resolve().then(() => {
        this.#renderQueued = false;
        this.#render();
      });
    }
    this.dispatchEvent(new CustomEvent('naive-updated', { detail: { source } }));
  }

  #render() {
    const starts = new Map(this.items.map((a) => [a, Date.parse(a.start)]));
    const sorted = [...this.items].sort((a, b) => starts.get(a) - starts.get(b));
    const rows = sorted.map((a) => {
      const details = [a.type, a.room && `Room ${a.room}`].filter(Boolean).join(' · ');
      return `<li data-status="${escape(a.status ?? '')}">
        <time datetime="${escape(a.start)}">${escape(this.#format.format(new Date(a.start)))}</time>
        <span>${escape(a.patientName ?? '')} · ${escape(a.provider ?? '')}</span>
        <span>${escape(details)}</span>
        <span>${escape(LABELS[a.status] ?? a.status ?? '')}</span>
      </li>`;
    });
    this.shadowRoot.innerHTML = `<h2>Today's appointments</h2><ol>${rows.join('')}</ol>`;
  }
}
customElements.define('naive-schedule', NaiveSchedule);

/**
 * The baseline's socket: the least a page must speak of Engine.IO 4 / Socket.IO 5 over
 * a WebSocket to receive one namespace's events (open, join the namespace, answer
 * pings, decode event frames). The baseline gets its change events from the same
 * server as the element, over the same loopback, so both are timed from a frame's
 * arrival. Resolves once the namespace is joined; `close()` ends it.
 *
 * @param {string} origin   http(s) origin of the server
 * @param {string} namespace with its slash: `/appointments`
 * @param {(event: string, payload: unknown) => void} onEvent
 */
export function connectRawSocket(origin, namespace, onEvent) {
  const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  const prefix = `42${namespace},`;
  return new Promise((resolve, reject) => {
    ws.addEventListener('error', () => reject(new Error('raw socket failed')));
    ws.addEventListener('message', ({ data }) => {
      if (data === '2') ws.send('3'); // ping → pong, or the server drops us
      else if (data.startsWith('0')) ws.send(`40${namespace},${JSON.stringify({ namespace: namespace.slice(1) })}`);
      else if (data.startsWith(`40${namespace},`)) resolve({ close: () => ws.close() });
      else if (data.startsWith(prefix)) {
        const [event, payload] = JSON.parse(data.slice(prefix.length));
        onEvent(event, payload);
      }
    });
  });
}
