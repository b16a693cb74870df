/**
 * One item of the feed (and of search results): cover, title, summary, topics and the line
 * saying why it is there. Tapping opens the article or video page.
 */
import { Image, Text, View } from '@tarojs/components';
import type { FeedItem, LibraryItem } from '@hcp360/shared';
import { openContent } from '../navigation/contentRoutes';
import { mediaUrl } from '../services/media';
import './FeedCard.css';

const TEXT = { video: '视频', rx: '专业' };

export function FeedCard({ item, index }: { item: FeedItem | LibraryItem; index?: number }) {
  const cover = mediaUrl(item.cover);
  const reason = 'reason' in item ? item.reason : undefined;
  return (
    <View className='feed-item' id={`feed-item-${item.id}`} data-id={item.id} data-index={index} onClick={() => openContent(item)}>
      {cover ? (
        <View className='feed-cover'>
          <Image className='feed-cover-image' src={cover} mode='aspectFill' lazyLoad />
          {item.type === 'video' ? <Text className='feed-badge feed-badge-video'>{TEXT.video}</Text> : null}
        </View>
      ) : null}
      <View className='feed-body'>
        <Text className='feed-title'>
          {item.rxOnly ? <Text className='feed-badge feed-badge-rx'>{TEXT.rx}</Text> : null}
          {item.title}
        </Text>
        {item.summary ? <Text className='feed-summary'>{item.summary}</Text> : null}
        <View className='feed-meta'>
          {item.topicLabels.slice(0, 3).map((label) => (
            <Text key={label} className='feed-topic'>
              {label}
            </Text>
          ))}
        </View>
        {reason ? <Text className='feed-reason'>{reason}</Text> : null}
      </View>
    </View>
  );
}
