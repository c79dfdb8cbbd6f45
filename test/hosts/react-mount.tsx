import type { ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import type { MountHost } from './token-scenario.js';

/**
 * Mounts `Host` with React's own root (React 18 or 19: whichever `react` means in the bundle);
 * a new token is a re-render with the new prop, as an app would do it.
 */
export const withReact =
  (Host: ComponentType<{ serverUrl: string; token: string }>): MountHost =>
  (target, serverUrl, token) => {
    const root = createRoot(target);
    root.render(<Host serverUrl={serverUrl} token={token} />);
    return {
      text: () => target.textContent ?? '',
      setToken: (next) => root.render(<Host serverUrl={serverUrl} token={next} />),
      unmount: () => root.unmount(),
    };
  };
