/**
 * An article: the Rx notice first when the item is Rx-only, title, summary, cover and the
 * sanitised body (RichText), then like / favourite / share. Opening it records content_view;
 * leaving it records content_read with the active reading time and scroll depth of the body
 * (#reading-root). Opened from the feed, search, the library, or a share card (?id=…&inviter=…).
 */
import { useEffect } from 'react';
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro';
import { Image, RichText, Text, View } from '@tarojs/components';
import { TOPICS } from '@hcp360/shared';
import { LoadingState } from '../../components/PageStatus';
import { ContentActions } from '../../content/ContentActions';
import { ContentUnavailable } from '../../content/ContentUnavailable';
import { richTextHtml } from '../../content/richText';
import { RxNotice } from '../../content/RxNotice';
import { useContentItem } from '../../content/useContentItem';
import { CONTENT_ROUTES, contentPath } from '../../navigation/contentRoutes';
import { mediaUrl } from '../../services/media';
import { API_BASE } from '../../services/request';
import { READING_ROOT_ID, shareMessage, usePageView, useReadingTracker } from '../../tracking/taro';
import '../../content/content.css';

const TEXT = {
  shareFallback: 'HCP360 学术内容',
  published: (iso: string) => `${iso.slice(0, 10)} 发布`,
};

export default function ArticlePage() {
  const id = useRouter().params.id ?? '';
  usePageView();
  const { state, reactions, setReactions, reload } = useContentItem(id);
  const content = state.status === 'ready' ? state.content : undefined;
  useReadingTracker(content ? id : '');
  useShareAppMessage(() =>
    shareMessage({ title: content?.title ?? TEXT.shareFallback, path: `${CONTENT_ROUTES.article}?id=${id}`, contentId: id, imageUrl: mediaUrl(content?.cover) }),
  );

  useEffect(() => {
    // A share card or an old link may name a video: show it where videos play.
    if (content?.type === 'video') void Taro.redirectTo({ url: contentPath(content) });
  }, [content]);

  if (state.status === 'loading') return <View className='page'><LoadingState /></View>;
  if (state.status !== 'ready') return <View className='page'><ContentUnavailable state={state} onRetry={() => void reload()} /></View>;
  const c = state.content;
  const cover = mediaUrl(c.cover);
  const bodyHasCover = !!c.cover && (c.body ?? '').includes(c.cover);

  return (
    <View className='page article-page'>
      <View id={READING_ROOT_ID}>
        {c.notice ? <RxNotice notice={c.notice} /> : null}
        <View className='content-header'>
          <Text className='content-title' id='content-title'>{c.title}</Text>
          <Text className='content-meta'>{[TEXT.published(c.publishedAt), ...c.topics.map((t) => TOPICS[t])].join(' · ')}</Text>
          {c.summary ? <Text className='content-summary'>{c.summary}</Text> : null}
        </View>
        {cover && !bodyHasCover ? <Image className='content-cover' src={cover} mode='aspectFill' /> : null}
        <RichText className='content-body' id='content-body' nodes={richTextHtml(c.body ?? '', API_BASE)} />
        <ContentActions id={id} reactions={reactions} onChange={setReactions} />
      </View>
    </View>
  );
}
