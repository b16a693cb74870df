/**
 * One live stream: title, time, speakers, description; before the start a countdown and the
 * register button, which asks for the one-time reminder subscription (Taro.requestSubscribeMessage)
 * and says when the reminder comes; during the live a <video> on the play URL (an HLS URL either
 * <video> or <live-player> can play, WECHAT.md) sending live_heartbeat every 30 s while playing;
 * after the end the replay, recording live_replay_view.
 * Opened from the 直播 tab (?id=), a share card (?id=&inviter=) or a poster's mini-program code
 * (?scene=<token>, WeChat scenes 1047/1048/1049): the scene is resolved to the live stream and the
 * rep, and both travel with the registration so the rep is credited.
 */
import { useEffect, useRef, useState } from 'react';
import Taro, { useDidHide, useDidShow, useRouter, useShareAppMessage, useUnload } from '@tarojs/taro';
import { Text, Video, View } from '@tarojs/components';
import { TOPICS, type LiveDetail } from '@hcp360/shared';
import { ErrorState, LoadingState } from '../../components/PageStatus';
import { PrimaryButton } from '../../components/PrimaryButton';
import { RxNotice } from '../../content/RxNotice';
import { LiveHeartbeat } from '../../live/heartbeat';
import { fetchLive, liveErrorText, registerLive, requestReminderSubscription, resolveScene, servedUrl } from '../../live/liveApi';
import { countdown, timeRange } from '../../live/liveTime';
import { shareMessage, tracker, usePageView } from '../../tracking/taro';
import '../../live/live.css';

const TEXT = {
  register: '立即报名',
  registering: '报名中…',
  registered: '已报名',
  startsIn: (left: string) => `距开播 ${left}`,
  reminder: (min: number) => `报名时允许「开播提醒」，开播前 ${min} 分钟将通过微信服务通知提醒您；也可将开播时间添加到手机日历。`,
  subscribed: '已订阅开播提醒',
  notSubscribed: '未订阅开播提醒，可再次点击订阅',
  subscribe: '订阅开播提醒',
  live: '直播中',
  ended: '直播已结束',
  noReplay: '回放整理中，敬请期待',
  cancelled: '本场直播已取消',
  speakers: '讲者',
  about: '简介',
  registeredToast: '报名成功',
};

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; live: LiveDetail };

/** The launch scene (1047 scan, 1048 long-press, 1049 album); 1047 where there is none (the browser build). */
function launchScene(): number {
  try {
    const scene = process.env.TARO_ENV === 'h5' ? undefined : Taro.getLaunchOptionsSync().scene;
    return typeof scene === 'number' && scene >= 1000 && scene <= 9999 ? scene : 1047;
  } catch {
    return 1047;
  }
}

function decodeParam(v: string | undefined): string | undefined {
  if (!v) return undefined;
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

export default function LivePage() {
  usePageView();
  const params = useRouter().params;
  const [state, setState] = useState<Load>({ status: 'loading' });
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const origin = useRef<{ id?: string; scene?: string; inviter?: string }>({});
  const heartbeat = useRef<LiveHeartbeat | null>(null);
  const replayTracked = useRef(false);

  const load = async () => {
    try {
      if (!origin.current.id) {
        const scene = decodeParam(params.scene);
        if (scene) {
          const resolved = await resolveScene(scene);
          origin.current = { id: resolved.liveId, scene, ...(resolved.inviter ? { inviter: resolved.inviter } : {}) };
          // The poster's rep is the inviter (the scene carries no query): record the code scan like a share card's invite.
          if (resolved.inviter) tracker.track('invite_open', { inviter: resolved.inviter, share_id: `scene-${scene}`.slice(0, 64), scene: launchScene() });
        } else {
          origin.current = { id: params.id, ...(params.inviter ? { inviter: decodeParam(params.inviter) } : {}) };
        }
      }
      const live = await fetchLive(origin.current.id ?? '');
      setState({ status: 'ready', live });
    } catch (err) {
      setState({ status: 'error', message: liveErrorText(err) });
    }
  };

  useEffect(() => {
    void load();
  }, []);
  useDidShow(() => {
    if (state.status === 'ready') void load();
  });

  const live = state.status === 'ready' ? state.live : undefined;
  // The countdown ticks each second; at the start the page loads again and gets the play URL.
  useEffect(() => {
    if (live?.status !== 'scheduled') return undefined;
    const t = setInterval(() => {
      const n = Date.now();
      setNow(n);
      if (Date.parse(live.startAt) <= n) void load();
    }, 1000);
    return () => clearInterval(t);
  }, [live?.id, live?.status]);

  const stopHeartbeat = () => heartbeat.current?.stop();
  useDidHide(stopHeartbeat);
  useUnload(stopHeartbeat);

  useShareAppMessage(() => shareMessage({ title: live?.title ?? '学术直播', path: `/pages/live/index?id=${live?.id ?? origin.current.id ?? ''}` }));

  const register = async (wantReminder: boolean) => {
    if (!live || busy) return;
    setBusy(true);
    try {
      // The subscription prompt must come straight from the tap (WeChat requires a user gesture).
      const subscribed = wantReminder ? await requestReminderSubscription(live.reminderTemplateId) : false;
      const { scene, inviter } = origin.current;
      const res = await registerLive(live.id, { subscribed, ...(scene ? { scene } : {}), ...(inviter ? { inviter } : {}) });
      if (!live.registered) tracker.track('live_register', { live_id: live.id });
      setState({ status: 'ready', live: { ...live, registered: true, subscribed: res.subscribed } });
      void Taro.showToast({ title: TEXT.registeredToast, icon: 'success' });
    } catch (err) {
      void Taro.showToast({ title: liveErrorText(err), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };

  if (state.status === 'loading') return <View className='page'><LoadingState /></View>;
  if (state.status === 'error') return <View className='page'><ErrorState message={state.message} onRetry={() => void load()} /></View>;
  const l = state.live;
  const left = l.status === 'scheduled' ? countdown(l.startAt, now) : null;

  const beat = () => {
    heartbeat.current ??= new LiveHeartbeat((position) => tracker.track('live_heartbeat', { live_id: l.id, position_s: position }));
    return heartbeat.current;
  };

  return (
    <View className='page live-page' id='live-page'>
      {l.notice ? <RxNotice notice={l.notice} /> : null}
      {l.status === 'live' && l.playUrl ? (
        <View className='live-player-box'>
          <Video
            id='live-video'
            className='live-player'
            src={servedUrl(l.playUrl) ?? ''}
            autoplay
            loop
            controls
            showCenterPlayBtn
            onPlay={() => beat().play()}
            onPause={() => beat().stop()}
            onEnded={() => beat().stop()}
            onError={() => beat().stop()}
            onTimeUpdate={(e) => beat().time(Number((e.detail as unknown as { currentTime: number }).currentTime))}
          />
        </View>
      ) : null}
      {l.status === 'ended' && l.replayUrl ? (
        <View className='live-player-box'>
          <Video
            id='live-replay'
            className='live-player'
            src={servedUrl(l.replayUrl) ?? ''}
            controls
            showCenterPlayBtn
            onPlay={() => {
              if (replayTracked.current) return;
              replayTracked.current = true;
              tracker.track('live_replay_view', { live_id: l.id });
            }}
          />
        </View>
      ) : null}

      <View className='content-header'>
        <Text className='content-title' id='live-title'>{l.title}</Text>
        <Text className='content-meta'>{[timeRange(l.startAt, l.endAt), ...l.topics.map((t) => TOPICS[t])].join(' · ')}</Text>
      </View>

      {l.status === 'scheduled' && left ? <Text className='live-countdown' id='live-countdown'>{TEXT.startsIn(left)}</Text> : null}
      {l.status === 'live' ? <Text className='live-countdown'>{TEXT.live}</Text> : null}
      {l.status === 'ended' ? <Text className='live-countdown'>{l.replayUrl ? TEXT.ended : `${TEXT.ended}，${TEXT.noReplay}`}</Text> : null}
      {l.status === 'cancelled' ? <Text className='live-countdown'>{TEXT.cancelled}</Text> : null}

      {(l.status === 'scheduled' || l.status === 'live') && !l.registered ? (
        <PrimaryButton id='live-register' disabled={busy} onClick={() => void register(true)}>
          {busy ? TEXT.registering : TEXT.register}
        </PrimaryButton>
      ) : null}
      {l.registered && l.status === 'scheduled' ? (
        <View>
          <Text className='live-badge' id='live-registered'>{TEXT.registered}</Text>
          <Text className='live-badge live-badge-muted' id='live-subscribed'>{l.subscribed ? TEXT.subscribed : TEXT.notSubscribed}</Text>
          {!l.subscribed ? (
            <PrimaryButton id='live-subscribe' disabled={busy} onClick={() => void register(true)}>
              {TEXT.subscribe}
            </PrimaryButton>
          ) : null}
        </View>
      ) : null}
      {l.status === 'scheduled' ? <Text className='live-note'>{TEXT.reminder(l.reminderLeadMinutes)}</Text> : null}

      <Text className='live-section-title'>{TEXT.speakers}</Text>
      {l.speakers.map((s) => (
        <Text key={`${s.name}-${s.hospital}`} className='live-speaker'>{`${s.name}　${s.title}　${s.hospital}`}</Text>
      ))}
      {l.description ? (
        <View>
          <Text className='live-section-title'>{TEXT.about}</Text>
          <Text className='live-note'>{l.description}</Text>
        </View>
      ) : null}
    </View>
  );
}
