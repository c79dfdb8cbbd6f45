import { useState } from 'react';
import type { ConnectionState } from 'schedule-dashboard';
import { ScheduleDashboard } from 'schedule-dashboard/react';

/** The front desk's header line, fed by the element's events (React 18 and 19). */
export function FrontDesk({ serverUrl, token }: { serverUrl: string; token: string }) {
  const [count, setCount] = useState<number>();
  const [state, setState] = useState<ConnectionState>('connecting');
  const [problem, setProblem] = useState('');
  return (
    <section>
      <p>
        {count ?? '…'} appointments · {state}
      </p>
      {problem && <p role="alert">{problem}</p>}
      <ScheduleDashboard
        serverUrl={serverUrl}
        patientNames="initials"
        logLevel="error"
        authToken={token} // a property, never in the DOM; a new token re-handshakes
        onScheduleUpdated={(e) => setCount(e.detail.appointments.length)}
        onScheduleConnectionChange={(e) => setState(e.detail.state)}
        onScheduleError={(e) => setProblem(e.detail.message)}
      />
    </section>
  );
}
