/**
 * The tracker bound to the mini-program: storage over Taro storage, transport over the app's
 * one API client (POST /api/events), readiness = a session whose doctor accepted the current
 * privacy policy, and the envelope's context:
 *   session_id — one visit (visitSession.ts),
 *   page       — the route of the top page (Taro.getCurrentPages), the launch path before any page,
 *   scene      — the launch scene (Taro.getLaunchOptionsSync), updated on every Taro.onAppShow.
 * The queue is flushed on Taro.onAppHide, the last reliable moment (WECHAT.md).
 * Pages import from taro.ts, which also holds the share and search helpers.
 */
import Taro from '@tarojs/taro';
import { devIdentitySwitched } from '../services/auth';
import { postEvents } from '../services/events';
import { apiClient, taroStorage } from '../services/request';
import { meStore } from '../session/session';
import { attributionFromQuery, normaliseRoute, queryFromLocation, type Attribution } from './attribution';
import { createTracker, DEFAULT_STORAGE_KEY, systemClock } from './core';
import { VisitSession } from './visitSession';

/** WeChat's scene value "其他", for an invite opened where there is no scene (the h5 build). */
const OTHER_SCENE = 1000;

// The browser build switched doctors (?openid=…): the previous doctor's unsent events must
// not go out under the new doctor's token. (WeChat has one doctor per device storage.)
if (devIdentitySwitched(taroStorage)) taroStorage.remove(DEFAULT_STORAGE_KEY);

const visit = new VisitSession(() => systemClock.now(), Math.random);
let launchPage = 'app';
let scene: number | undefined;

function currentPage(): string {
  try {
    const pages = Taro.getCurrentPages();
    const route = pages[pages.length - 1]?.route ?? Taro.getCurrentInstance().router?.path;
    const page = route ? normaliseRoute(route) : '';
    if (page) return page;
  } catch {
    // no page yet (app launch)
  }
  return launchPage;
}

function validScene(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1000 && value <= 9999 ? value : undefined;
}

export const tracker = createTracker({
  storage: taroStorage,
  transport: postEvents,
  clock: systemClock,
  // PIPL: nothing about what a doctor does leaves the device before they accepted the current
  // privacy policy; events recorded earlier wait in the queue until then.
  isReady: () => apiClient.hasSession() && meStore.getState().me?.consents.upToDate === true,
  context: () => ({ session_id: visit.id, page: currentPage(), ...(scene === undefined ? {} : { scene }) }),
});

interface LaunchFacts {
  path: string;
  query: Record<string, unknown>;
  scene?: number;
}

function readLaunch(): LaunchFacts {
  if (process.env.TARO_ENV === 'h5') {
    const { search, hash } = window.location;
    const path = normaliseRoute(hash) || normaliseRoute(Taro.getLaunchOptionsSync().path ?? '');
    return { path, query: queryFromLocation(search, hash) };
  }
  const options = Taro.getLaunchOptionsSync();
  return { path: normaliseRoute(options.path ?? ''), query: options.query ?? {}, scene: validScene(options.scene) };
}

const invitesSeen = new Set<string>();

/** invite_open once per share (a share card opened again re-enters with the same share id). */
function trackInvite(attribution: Attribution): void {
  if (!attribution.inviter) return;
  const key = `${attribution.inviter}|${attribution.share_id ?? ''}`;
  if (invitesSeen.has(key)) return;
  invitesSeen.add(key);
  tracker.track('invite_open', { ...attribution, inviter: attribution.inviter, scene: scene ?? OTHER_SCENE });
}

let started = false;

/** Call once at app launch: records app_launch (and invite_open for a share), wires show/hide. */
export function startTracking(): void {
  if (started) return;
  started = true;
  const launch = readLaunch();
  launchPage = launch.path || 'app';
  scene = launch.scene;
  const attribution = attributionFromQuery(launch.query);
  tracker.track('app_launch', { path: launchPage.slice(0, 128), ...attribution }, { page: launchPage });
  trackInvite(attribution);

  Taro.onAppShow((options?: { scene?: unknown; query?: Record<string, unknown> }) => {
    visit.shown();
    scene = validScene(options?.scene) ?? scene;
    trackInvite(attributionFromQuery(options?.query));
  });
  Taro.onAppHide(() => {
    visit.hidden();
    // After this tick, so the page_view the top page records in its own onHide goes too.
    setTimeout(() => void tracker.flush(), 0);
  });
}
