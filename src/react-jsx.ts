/**
 * `schedule-dashboard/react-jsx`: types for writing the bare tag in React 19 TSX
 * (README, "React 19"). Types only: a host imports it once for its types
 * (`import type {} from 'schedule-dashboard/react-jsx';`) next to the element's own import.
 *
 * React 19 sets a prop as a property when the element has one (`authToken`, `serverUrl`), as
 * an attribute otherwise (`server-url`), and adds a listener for a function prop named `on`
 * plus the event's own name (`onschedule-updated`). React 18 does neither: use
 * `schedule-dashboard/react` there.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { ScheduleDashboard } from './schedule-dashboard.component.js';
import type { ScheduleDashboardAttributes, ScheduleDashboardListeners, ScheduleDashboardProperties } from './host-typings.js';

/** The props of `<schedule-dashboard>` in React 19 JSX. */
export type ScheduleDashboardJSXProps = DetailedHTMLProps<HTMLAttributes<ScheduleDashboard>, ScheduleDashboard> &
  ScheduleDashboardProperties &
  ScheduleDashboardAttributes &
  ScheduleDashboardListeners<'on'>;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'schedule-dashboard': ScheduleDashboardJSXProps;
    }
  }
}
