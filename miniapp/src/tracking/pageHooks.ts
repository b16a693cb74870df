/**
 * Page hooks of the tracking SDK. A page is "shown" from its onShow to its onHide or onUnload:
 * navigating away, and in WeChat also the app going to the background, ends it and records the
 * event (so it is queued before Taro.onAppHide flushes); coming back starts a new one. Time the
 * page was hidden never counts, nor, in the browser build, time the tab was hidden
 * (document.visibilitychange). The accounting itself is ActiveTimer / ReadingTracker.
 */
import { useEffect, useRef } from 'react';
import Taro, { useDidHide, useDidShow, usePageScroll, useReady, useRouter, useUnload } from '@tarojs/taro';
import { ActiveTimer } from './activeTimer';
import { normaliseRoute } from './attribution';
import { systemClock } from './core';
import { ReadingTracker } from './readingTracker';
import { tracker } from './taroTracker';

/** The id of the element that wraps a content page's body, for useReadingTracker. */
export const READING_ROOT_ID = 'reading-root';
/** How often the content height is measured again while scrolling (images load, text grows). */
const MEASURE_EVERY_MS = 1_000;
/** How long after the content arrived the first measurement waits (rendering, images). */
const MEASURE_AFTER_LOAD_MS = 300;

const now = () => systemClock.now();

interface ShownHandlers {
  /** The page stopped being shown (hide or unload): record. */
  end(): void;
  /** Shown again after end(). */
  restart(): void;
  /** Browser tab hidden / visible while the page stays on top. */
  pause(): void;
  resume(): void;
}

/** Calls `end` once per shown period, `restart` when shown again; pause/resume for the browser tab. */
function useShownPeriods(handlers: ShownHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  const shown = useRef(true); // the page is shown when it mounts; the first onShow changes nothing

  const end = () => {
    if (!shown.current) return;
    shown.current = false;
    latest.current.end();
  };
  useDidShow(() => {
    if (shown.current) return;
    shown.current = true;
    latest.current.restart();
  });
  useDidHide(end);
  useUnload(end);

  useEffect(() => {
    if (process.env.TARO_ENV !== 'h5' || typeof document === 'undefined') return undefined;
    const onVisibility = () => {
      if (!shown.current) return; // a page under another one stays paused
      if (document.visibilityState === 'hidden') latest.current.pause();
      else latest.current.resume();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, []);
}

/** This page's route and the page it was opened from, from the page stack at mount. */
function usePageRoutes(): { page: string | undefined; referrer: string | undefined } {
  const router = useRouter();
  const routes = useRef<{ page: string | undefined; referrer: string | undefined } | null>(null);
  if (!routes.current) {
    const page = normaliseRoute(router.path ?? '') || undefined;
    let referrer: string | undefined;
    try {
      const stack = Taro.getCurrentPages().map((p) => normaliseRoute(p.route ?? ''));
      const own = page ? stack.lastIndexOf(page) : -1;
      referrer = own > 0 ? stack[own - 1] : own < 0 ? stack[stack.length - 1] : undefined;
    } catch {
      referrer = undefined;
    }
    routes.current = { page, referrer: referrer && referrer !== page ? referrer : undefined };
  }
  return routes.current;
}

/** Records `page_view` with the active dwell each time this page stops being shown. */
export function usePageView(): void {
  const { page, referrer } = usePageRoutes();
  const timer = useRef<ActiveTimer | null>(null);
  timer.current ??= new ActiveTimer(now);

  useShownPeriods({
    end() {
      timer.current!.pause();
      const dwell = timer.current!.take();
      tracker.track('page_view', { dwell_ms: dwell, ...(referrer ? { referrer } : {}) }, { page });
    },
    restart: () => timer.current!.resume(),
    pause: () => timer.current!.pause(),
    resume: () => timer.current!.resume(),
  });
}

/**
 * Records `content_read` (active reading time, deepest scroll) each time a content page stops
 * being shown; repeated records of one page add up (each carries the time since the last).
 * The page wraps its body in an element with id `rootId` (default READING_ROOT_ID), whose
 * height, with the window height, gives the depth. Pages that load their content pass '' until
 * it has arrived: nothing is recorded for a page that never showed content.
 */
export function useReadingTracker(contentId: string, rootId: string = READING_ROOT_ID): void {
  const { page } = usePageRoutes();
  const reader = useRef<ReadingTracker | null>(null);
  reader.current ??= new ReadingTracker(now);
  const layout = useRef({ scrollTop: 0, viewport: 0, contentBottom: 0, measuredAt: -Infinity });

  function measure(): void {
    layout.current.measuredAt = now();
    try {
      layout.current.viewport = Taro.getWindowInfo().windowHeight;
    } catch {
      layout.current.viewport = Taro.getSystemInfoSync().windowHeight;
    }
    Taro.createSelectorQuery()
      .select(`#${rootId}`)
      .boundingClientRect((rect) => {
        const box = Array.isArray(rect) ? rect[0] : rect;
        if (!box) return;
        // bottom of the content in page coordinates (the rect is relative to the viewport)
        layout.current.contentBottom = box.top + layout.current.scrollTop + box.height;
        const { scrollTop, viewport, contentBottom } = layout.current;
        reader.current!.scroll(scrollTop, viewport, contentBottom);
      })
      .exec();
  }

  // Measure once the content is there: pages load it after mount, and pass '' until then.
  useReady(() => {
    if (contentId) measure();
  });
  useEffect(() => {
    if (!contentId) return undefined;
    const timer = setTimeout(measure, MEASURE_AFTER_LOAD_MS);
    return () => clearTimeout(timer);
  }, [contentId]);
  usePageScroll(({ scrollTop }) => {
    layout.current.scrollTop = scrollTop;
    const { viewport, contentBottom, measuredAt } = layout.current;
    reader.current!.scroll(scrollTop, viewport, contentBottom);
    if (now() - measuredAt >= MEASURE_EVERY_MS) measure();
  });

  useShownPeriods({
    end() {
      reader.current!.pause();
      const snapshot = reader.current!.take();
      if (contentId) tracker.track('content_read', { content_id: contentId, ...snapshot }, { page });
    },
    restart: () => reader.current!.resume(),
    pause: () => reader.current!.pause(),
    resume: () => reader.current!.resume(),
  });
}
