import { useState } from 'react';
import type { ConnectionState } from 'schedule-dashboard';
import 'schedule-dashboard';
import type {} from 'schedule-dashboard/react-jsx';

/** A wall screen with the bare tag (React 19): attributes as written, properties and events by name. */
export function WaitingRoom({ serverUrl, token }: { serverUrl: string; token: string }) {
  const [seen, setSeen] = useState<{ count?: number; state: ConnectionState }>({ state: 'connecting' });
  const [problem, setProblem] = useState('');
  return (
    <main>
      <schedule-dashboard
        server-url={serverUrl}
        patient-names="hidden"
        log-level="error"
        kiosk
        authToken={token}
        onschedule-updated={(e) => setSeen((s) => ({ ...s, count: e.detail.appointments.length }))}
        onschedule-connection-change={(e) => setSeen((s) => ({ ...s, state: e.detail.state }))}
        onschedule-error={(e) => setProblem(`${e.detail.kind}: ${e.detail.message}`)}
      />
      <footer>
        {seen.count ?? '…'} appointments · {seen.state} {problem}
      </footer>
    </main>
  );
}
