/**
 * App shell: at launch, record the launch (tracking/), sign in silently and route by
 * onboarding state (session.ts). Pages render their own loading and error states from the
 * shared /api/me copy meanwhile.
 */
// First: zod's settings hold for the schemas shared/ makes as it is imported.
import './zodConfig';
import type { PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import { runLaunchFlow } from './session/session';
import { startTracking } from './tracking/taro';
import './app.css';

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    startTracking();
    void runLaunchFlow();
  });
  return children;
}

export default App;
