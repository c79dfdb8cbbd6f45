import 'schedule-dashboard';
import type { ConnectionState } from 'schedule-dashboard';
import type {} from 'schedule-dashboard/vue';
import { createApp, defineComponent, h, ref, type Ref } from 'vue';

/** The front desk's header line, fed by the element's events. */
export const FrontDesk = defineComponent({
  props: { serverUrl: { type: String, required: true }, token: { type: String, required: true } },
  setup: () => ({ count: ref<number>(), state: ref<ConnectionState>('connecting'), problem: ref('') }),
  // `.prop`: the token is a property, never in the DOM; a new token re-handshakes.
  template: `
    <section>
      <p>{{ count ?? '…' }} appointments · {{ state }}</p>
      <p v-if="problem" role="alert">{{ problem }}</p>
      <schedule-dashboard
        :server-url="serverUrl"
        patient-names="initials"
        log-level="error"
        :authToken.prop="token"
        @schedule-updated="count = $event.detail.appointments.length"
        @schedule-connection-change="state = $event.detail.state"
        @schedule-error="problem = $event.detail.message"
      />
    </section>`,
});

/** Mounts the front desk; Vue is told the tag is a custom element, not a Vue component. */
export function mountFrontDesk(target: Element, serverUrl: string, token: Ref<string>) {
  const app = createApp({ render: () => h(FrontDesk, { serverUrl, token: token.value }) });
  app.config.compilerOptions.isCustomElement = (tag) => tag === 'schedule-dashboard';
  app.mount(target);
  return app;
}
