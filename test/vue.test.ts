import { expect } from '@open-wc/testing';
import { ref, version, type GlobalComponents } from 'vue';
import { hostPassesTokenAndHearsEvents } from './hosts/token-scenario.js';
import { mountFrontDesk } from './hosts/vue-front-desk.js';

// schedule-dashboard/vue, as Volar checks a template against it: props camel-cased, events
// as `on…` props typed by their details. (A wrong type here fails tsconfig.hosts.json.)
type TagProps = InstanceType<GlobalComponents['schedule-dashboard']>['$props'];
const typed: TagProps = {
  serverUrl: 'https://pms.example-clinic.org',
  authToken: async () => 'token',
  patientNames: 'initials',
  onScheduleUpdated: (e) => e.detail.appointments.map((a) => a.id),
  onScheduleConnectionChange: (e) => e.detail.state satisfies string,
  onScheduleError: (e) => e.detail.kind satisfies 'fetch' | 'payload' | 'socket' | 'auth',
};

describe('Vue 3 host', () => {
  it('should run on Vue 3 with typed props and events for the tag', () => {
    expect(version).to.match(/^3\./);
    expect(typed.patientNames).to.equal('initials');
  });

  it('should pass authToken with .prop and hear the events with @schedule-updated and the others', async () => {
    await hostPassesTokenAndHearsEvents((target, serverUrl, first) => {
      const token = ref(first);
      const app = mountFrontDesk(target, serverUrl, token);
      return {
        text: () => target.textContent ?? '',
        setToken: (next) => {
          token.value = next;
        },
        unmount: () => app.unmount(),
      };
    });
  });
});
