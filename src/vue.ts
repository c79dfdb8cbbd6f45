/**
 * `schedule-dashboard/vue`: types for `<schedule-dashboard>` in Vue 3 templates (README,
 * "Vue 3"), checked by Volar / vue-tsc. Types only: a host references it once
 * (`import type {} from 'schedule-dashboard/vue';`, e.g. in `env.d.ts`).
 *
 * Vue camelises what a template writes (`server-url`, `:authToken.prop`, `@schedule-updated`)
 * before it checks it against these props and emits.
 */
import type { DefineComponent } from 'vue';
import type { ScheduleEventMap } from './events.js';
import type { ScheduleDashboardProperties } from './host-typings.js';

/** `schedule-updated` → `scheduleUpdated`, the name Vue gives `@schedule-updated`. */
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;

/** The events of the element, as Vue's emits declare them (`onScheduleUpdated` as a prop). */
export type ScheduleDashboardVueEmits = {
  [K in keyof ScheduleEventMap as Camel<K>]: (event: ScheduleEventMap[K]) => void;
};

/** The tag as a Vue component: its settable properties as props, its DOM events as emits. */
export type ScheduleDashboardVue = DefineComponent<
  ScheduleDashboardProperties,
  object,
  object,
  Record<string, never>,
  Record<string, never>,
  object,
  object,
  ScheduleDashboardVueEmits
>;

declare module 'vue' {
  interface GlobalComponents {
    'schedule-dashboard': ScheduleDashboardVue;
  }
}
