/**
 * Gathers what the element shows, once per render, from the element's properties, its
 * connection controller and its board controller: the one place that decides which
 * appointments are shown (the filters) and at which clock reading the flow is taken.
 */

import type { ScheduleConnectionController } from '../schedule-connection-controller.js';
import type { ScheduleDashboard } from '../schedule-dashboard.component.js';
import { timeFormatter } from '../data/time.js';
import type { ScheduleLocalize } from '../i18n/localize.js';
import type { BoardController } from './board-controller.js';
import { applyFilters, parseList } from './flow.js';
import type { DashboardView } from './templates.js';

export function dashboardView(
  element: ScheduleDashboard,
  connection: ScheduleConnectionController,
  board: BoardController,
  locale: string | undefined,
  announcement: string,
  i18n: ScheduleLocalize,
): DashboardView {
  const { config } = connection;
  const time = timeFormatter(locale, config.timeZone);
  const now = Date.now();
  return {
    heading: element.heading,
    state: connection.state,
    attempt: connection.attempt,
    attempts: config.socket.reconnectionAttempts,
    pollInterval: config.pollInterval,
    lastUpdated: connection.lastUpdated,
    stale: connection.stale,
    catchingUp: connection.catchingUp,
    loading: connection.loading,
    error: connection.error,
    total: connection.appointments.length,
    // Filtered on screen only: what is filtered out still counts for metrics and consistency.
    appointments: applyFilters(connection.appointments, {
      providers: parseList(element.providers),
      rooms: parseList(element.rooms),
      statuses: parseList(element.statuses),
      filter: element.filter,
      failed: (error) => connection.log.warn('filter.failed', { error: error instanceof Error ? error.name : typeof error }),
    }),
    patientNames: element.patientNames,
    hideBadge: element.hideBadge,
    compact: element.compact,
    time,
    now,
    layout: element.layout === 'columns' && !board.narrow ? 'columns' : 'list',
    hideSummary: element.hideSummary,
    groups: (list, name) =>
      board.rows.groups(name, list, {
        now,
        flow: config,
        // The translations in force too (`ScheduleLocalize.words`): rows are drawn again when they change.
        shared: [element.patientNames, time, config.lateAfter, config.waitAlert, ...i18n.words()],
        seenAt: (id) => board.seenAt(id),
        highlightEnds: (id) => board.highlightEnds(id),
      }),
    announcement,
    i18n,
  };
}
