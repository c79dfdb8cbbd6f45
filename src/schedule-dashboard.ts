/**
 * Defines `<schedule-dashboard>` and exports its public types. Loading this module
 * twice (or two bundles of it) defines the element once.
 */
import { ScheduleDashboard } from './schedule-dashboard.component.js';

export { ScheduleDashboard, type PatientNames } from './schedule-dashboard.component.js';
export {
  ScheduleConnectionController,
  type AuthToken,
  type FetchAppointments,
  type ScheduleConnectionConfig,
} from './schedule-connection-controller.js';
export { ConnectionState } from './events.js';
export type {
  ScheduleConnectionChangeDetail,
  ScheduleErrorDetail,
  ScheduleEventMap,
  ScheduleUpdatedDetail,
  UpdateSource,
} from './events.js';
export type { LogLevel, LogRecord, LogSink } from './logging.js';
export type { ScheduleMetrics } from './metrics.js';
export { APPOINTMENT_STATUSES, type Appointment } from './data/payload.js';
export { managerOptions, handshakeAuth, type SocketSettings } from './connection/socket.js';
export { englishTranslation, registerTranslation, type ScheduleTranslation } from './i18n/localize.js';

if (!customElements.get('schedule-dashboard')) {
  customElements.define('schedule-dashboard', ScheduleDashboard);
}

declare global {
  interface HTMLElementTagNameMap {
    'schedule-dashboard': ScheduleDashboard;
  }
}
