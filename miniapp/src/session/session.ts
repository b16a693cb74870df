/**
 * The app's session: the shared /api/me copy and the launch flow (silent login → GET /api/me →
 * consent / profile / stay). Login itself happens inside the API client on the first protected
 * request, so "silent login at launch" is simply the launch flow's first call.
 */
import Taro from '@tarojs/taro';
import type { MeResponse } from '@hcp360/shared';
import { fetchMe } from '../services/me';
import { createMeStore } from './meStore';
import { TOKEN_KEY } from '../services/apiClient';
import { taroStorage } from '../services/request';
import { ROUTES, launchRedirect, nextStepFor, returnRouteOf, roleOfToken } from './onboarding';

export const meStore = createMeStore(fetchMe);

/** Set once the launch flow has had its answer, so a retry after a failure routes as launch would. */
let launchRouted = false;

function currentRoute(): string | null {
  const pages = Taro.getCurrentPages();
  const top = pages[pages.length - 1];
  return top?.route ?? Taro.getCurrentInstance().router?.path ?? null;
}

export async function runLaunchFlow(): Promise<void> {
  const me = await meStore.load();
  if (!me) {
    // A rep signs in through WeChat like a doctor but has no doctor profile: their pages are the rep subpackage.
    if (roleOfToken(taroStorage.get(TOKEN_KEY)) === 'rep') {
      launchRouted = true;
      if (!currentRoute()?.replace(/^\/+/, '').startsWith('rep/')) await Taro.reLaunch({ url: ROUTES.repHome });
    }
    return; // pages show the error with a retry button, which calls retryLaunch
  }
  launchRouted = true;
  const route = currentRoute();
  const target = launchRedirect(me, route);
  if (target) {
    // Opened on a deep page (a poster's code, a share card) before onboarding: back there once done, scene and inviter kept.
    returnAfterOnboarding = returnRouteOf(route, Taro.getCurrentInstance().router?.params ?? {});
    await Taro.reLaunch({ url: target });
  }
}

/** The page the app was opened on, when onboarding interrupted it (see continueOnboarding). */
let returnAfterOnboarding: string | null = null;

/** What a page's 重试 button does: the launch flow if it never completed, else a plain reload. */
export async function reloadSession(): Promise<void> {
  if (launchRouted) await meStore.load();
  else await runLaunchFlow();
}

const TAB_ROUTES: readonly string[] = [ROUTES.home, ROUTES.me];

/** Opens an app route, whichever kind of page it is (tab pages need switchTab). */
export function openRoute(route: string): void {
  if (TAB_ROUTES.includes(route)) void Taro.switchTab({ url: route });
  else void Taro.navigateTo({ url: route });
}

/** After a step was completed during onboarding: the next step, or home when done. */
export async function continueOnboarding(me: MeResponse): Promise<void> {
  const step = nextStepFor(me);
  if (step === 'consent') return;
  if (step === 'profile') await Taro.redirectTo({ url: ROUTES.profile });
  else if (!(await returnToOpenedPage())) await Taro.switchTab({ url: ROUTES.home });
}

/** After the profile is saved: back to the page the app was opened on, else 我的 (where verification is asked for). */
export async function afterProfileSaved(): Promise<void> {
  if (!(await returnToOpenedPage())) await Taro.switchTab({ url: ROUTES.me });
}

async function returnToOpenedPage(): Promise<boolean> {
  const url = returnAfterOnboarding;
  if (!url) return false;
  returnAfterOnboarding = null;
  await Taro.reLaunch({ url });
  return true;
}
