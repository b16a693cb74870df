/**
 * 点赞 / 收藏 / 分享 under an article or video. Likes and favourites are behaviour events
 * (content_like / content_favorite with on = true/false), sent at once so 我的收藏 shows them.
 * Sharing uses WeChat's share sheet (the page's useShareAppMessage builds the card and records
 * content_share); the browser build has none, so no share button there.
 */
import { Button, Text, View } from '@tarojs/components';
import type { ContentReactions } from '@hcp360/shared';
import { tracker } from '../tracking/taro';
import './content.css';

const TEXT = { like: '点赞', liked: '已点赞', favorite: '收藏', favorited: '已收藏', share: '分享' };

export function ContentActions({ id, reactions, onChange }: { id: string; reactions: ContentReactions; onChange: (r: ContentReactions) => void }) {
  function toggle(kind: 'liked' | 'favorited'): void {
    const on = !reactions[kind];
    onChange({ ...reactions, [kind]: on });
    tracker.track(kind === 'liked' ? 'content_like' : 'content_favorite', { content_id: id, on });
    void tracker.flush();
  }
  return (
    <View className='content-actions'>
      <View id='like-button' className={`content-action${reactions.liked ? ' content-action-on' : ''}`} data-on={reactions.liked ? 'true' : 'false'} onClick={() => toggle('liked')}>
        <Text className='content-action-icon'>{reactions.liked ? '♥' : '♡'}</Text>
        <Text>{reactions.liked ? TEXT.liked : TEXT.like}</Text>
      </View>
      <View id='favorite-button' className={`content-action${reactions.favorited ? ' content-action-on' : ''}`} data-on={reactions.favorited ? 'true' : 'false'} onClick={() => toggle('favorited')}>
        <Text className='content-action-icon'>{reactions.favorited ? '★' : '☆'}</Text>
        <Text>{reactions.favorited ? TEXT.favorited : TEXT.favorite}</Text>
      </View>
      {process.env.TARO_ENV === 'weapp' ? (
        <Button id='share-button' className='content-action content-share' openType='share'>
          <Text className='content-action-icon'>↗</Text>
          <Text>{TEXT.share}</Text>
        </Button>
      ) : null}
    </View>
  );
}
