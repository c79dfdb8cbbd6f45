/**
 * `schedule-dashboard/react`: `<ScheduleDashboard>`, the element as a React component
 * (README, "React"), made by Lit's own `@lit/react`. It works in React 18, which sets every
 * prop as an attribute and knows no custom events, and in React 19 alike: every property
 * (`authToken`, `fetchAppointments`, `serverUrl`…) is set as a property, and the element's
 * events arrive as `onScheduleUpdated`, `onScheduleConnectionChange` and `onScheduleError`,
 * typed by their details.
 *
 * Importing it defines the element, as importing `schedule-dashboard` does. React and
 * `@lit/react` stay the host's (peer dependencies): this module is for bundlers only, never
 * part of the script-tag builds.
 *
 * @example
 * ```tsx
 * <ScheduleDashboard serverUrl="https://pms.example-clinic.org" authToken={token}
 *   onScheduleUpdated={(e) => setCount(e.detail.appointments.length)} />
 * ```
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import type { ScheduleEventMap } from './events.js';
import { ScheduleDashboard as ScheduleDashboardElement } from './schedule-dashboard.js';

export const ScheduleDashboard = createComponent({
  react: React,
  tagName: 'schedule-dashboard',
  elementClass: ScheduleDashboardElement,
  events: {
    onScheduleUpdated: 'schedule-updated' as EventName<ScheduleEventMap['schedule-updated']>,
    onScheduleConnectionChange: 'schedule-connection-change' as EventName<ScheduleEventMap['schedule-connection-change']>,
    onScheduleError: 'schedule-error' as EventName<ScheduleEventMap['schedule-error']>,
  },
  displayName: 'ScheduleDashboard',
});

/** The props of `<ScheduleDashboard>`. */
export type ScheduleDashboardProps = React.ComponentProps<typeof ScheduleDashboard>;
