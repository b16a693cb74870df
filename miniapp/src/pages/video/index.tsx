/**
 * A video: the Rx notice first when the item is Rx-only, the player (<Video> on videoUrl), title,
 * summary and description, then like / favourite / share. Opening it records content_view;
 * leaving it (or the app going to the background) records content_read with dwell = seconds
 * actually watched and depth = furthest position / duration (tracking/videoWatch.ts).
 */
import { useRef } from 'react';
import { useDidHide, useRouter, useShareAppMessage, useUnload } from '@tarojs/taro';
import { RichText, Text, Video, View } from '@tarojs/components';
import { TOPICS } from '@hcp360/shared';
import { LoadingState } from '../../components/PageStatus';
import { ContentActions } from '../../content/ContentActions';
import { ContentUnavailable } from '../../content/ContentUnavailable';
import { richTextHtml } from '../../content/richText';
import { RxNotice } from '../../content/RxNotice';
import { useContentItem } from '../../content/useContentItem';
import { CONTENT_ROUTES } from '../../navigation/contentRoutes';
import { mediaUrl } from '../../services/media';
import { API_BASE } from '../../services/request';
import { shareMessage, tracker, usePageView } from '../../tracking/taro';
import { VideoWatch } from '../../tracking/videoWatch';
import '../../content/content.css';

const TEXT = {
  shareFallback: 'HCP360 学术视频',
  published: (iso: string) => `${iso.slice(0, 10)} 发布`,
};

interface TimeDetail {
  currentTime: number;
  duration: number;
}

export default function VideoPage() {
  const id = useRouter().params.id ?? '';
  usePageView();
  const { state, reactions, setReactions, reload } = useContentItem(id);
  const content = state.status === 'ready' ? state.content : undefined;
  const watch = useRef(new VideoWatch());
  const shown = useRef(false);
  shown.current = !!content;

  const record = () => {
    watch.current.stop();
    const watched = watch.current.take();
    if (shown.current && watched) tracker.track('content_read', { content_id: id, ...watched });
  };
  useDidHide(record);
  useUnload(record);
  useShareAppMessage(() =>
    shareMessage({ title: content?.title ?? TEXT.shareFallback, path: `${CONTENT_ROUTES.video}?id=${id}`, contentId: id, imageUrl: mediaUrl(content?.cover) }),
  );

  if (state.status === 'loading') return <View className='page'><LoadingState /></View>;
  if (state.status !== 'ready') return <View className='page'><ContentUnavailable state={state} onRetry={() => void reload()} /></View>;
  const c = state.content;

  return (
    <View className='page video-page'>
      {c.notice ? <RxNotice notice={c.notice} /> : null}
      {/* Taro's h5 player is absolutely positioned: the box gives it its place in the page. */}
      <View className='content-video-box'>
        <Video
          id='content-video'
          className='content-video'
          src={mediaUrl(c.videoUrl) ?? ''}
          poster={mediaUrl(c.cover)}
          controls
          showCenterPlayBtn
          onTimeUpdate={(e) => {
            const d = e.detail as unknown as TimeDetail;
            watch.current.time(Number(d.currentTime), Number(d.duration));
          }}
          onPlay={() => watch.current.play()}
          onPause={() => watch.current.stop()}
          onEnded={() => watch.current.stop()}
        />
      </View>
      <View className='content-header'>
        <Text className='content-title' id='content-title'>{c.title}</Text>
        <Text className='content-meta'>{[TEXT.published(c.publishedAt), ...c.topics.map((t) => TOPICS[t])].join(' · ')}</Text>
        {c.summary ? <Text className='content-summary'>{c.summary}</Text> : null}
      </View>
      {c.body ? <RichText className='content-body' nodes={richTextHtml(c.body, API_BASE)} /> : null}
      <ContentActions id={id} reactions={reactions} onChange={setReactions} />
    </View>
  );
}
