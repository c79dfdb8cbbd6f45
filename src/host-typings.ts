/**
 * The element as host frameworks' typings see it: what a host sets and what it hears.
 * Types only (nothing here reaches a bundle); `react-jsx.ts` and `vue.ts` build on it.
 */
import type { LitElement } from 'lit';
import type { ScheduleEventMap } from './events.js';
import type { ScheduleDashboard } from './schedule-dashboard.component.js';

/** What the element offers but a host cannot set: its read-only state and its methods. */
type ReadOnlyMembers = 'connectionState' | 'appointments' | 'lastUpdated' | 'metrics' | 'refresh' | 'reconnect';

/**
 * The properties a host may set (README, "Attributes and properties"), `authToken`,
 * `fetchAppointments`, `logger` and `filter` included, all optional.
 */
export type ScheduleDashboardProperties = Partial<Omit<ScheduleDashboard, keyof LitElement | ReadOnlyMembers>>;

/** `serverUrl` → `server-url`: the attribute of a camel-case property. */
type Kebab<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `-${Lowercase<Head>}`}${Kebab<Tail>}`
  : S;

/**
 * The attributes whose names differ from their properties (`server-url`, `poll-interval`…),
 * as strings: frameworks that set attributes by name (React 19, Vue) take them as written.
 */
export type ScheduleDashboardAttributes = {
  [K in keyof ScheduleDashboardProperties as ScheduleDashboardProperties[K] extends string | number | boolean | undefined
    ? Kebab<K> extends K
      ? never
      : Kebab<K>
    : never]?: string | number | boolean;
};

/** One listener per event of the element, named `${prefix}${event name}`, typed by its detail. */
export type ScheduleDashboardListeners<Prefix extends string> = {
  [K in keyof ScheduleEventMap as `${Prefix}${K}`]?: (event: ScheduleEventMap[K]) => void;
};
