/**
 * 搜索: title / summary / topic search over what the doctor may see. Each search is recorded as a
 * `search` event (tracking/taro.ts trackSearch), which also feeds topic affinity.
 */
import { useRef, useState } from 'react';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { Button, Input, Text, View } from '@tarojs/components';
import type { LibraryItem } from '@hcp360/shared';
import { usePager } from '../../lists/usePager';
import { describeError } from '../../services/apiError';
import { searchContent } from '../../services/content';
import { trackSearch, usePageView } from '../../tracking/taro';
import { LibraryList } from '../LibraryList';

const TEXT = {
  placeholder: '搜索文章、视频，如：高血压',
  submit: '搜索',
  hint: '输入疾病领域、药物或关键词',
  emptyTitle: '没有找到相关内容',
  emptyHint: '换个关键词试试',
};

export default function SearchPage() {
  usePageView();
  const [text, setText] = useState('');
  const [searched, setSearched] = useState(false);
  const query = useRef('');
  const [state, pager] = usePager<LibraryItem>((cursor) => searchContent(query.current, cursor), { describe: describeError });
  usePullDownRefresh(() => void (query.current ? pager.refresh() : Promise.resolve()).finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void pager.loadMore());

  function submit(value: string): void {
    const q = value.trim().slice(0, 50);
    if (!q) return;
    query.current = q;
    setSearched(true);
    trackSearch(q);
    void pager.refresh();
  }

  return (
    <View className='page'>
      <View className='search-bar'>
        <Input
          id='search-input'
          className='search-input'
          value={text}
          placeholder={TEXT.placeholder}
          confirmType='search'
          focus
          maxlength={50}
          onInput={(e) => setText(e.detail.value)}
          onConfirm={(e) => submit(e.detail.value)}
        />
        <Button id='search-submit' className='btn btn-primary search-submit' onClick={() => submit(text)}>
          {TEXT.submit}
        </Button>
      </View>
      {searched ? (
        <LibraryList state={state} empty={{ title: TEXT.emptyTitle, hint: TEXT.emptyHint }} onRetry={() => void pager.refresh()} onMore={() => void pager.loadMore()} />
      ) : (
        <Text className='search-hint muted'>{TEXT.hint}</Text>
      )}
    </View>
  );
}
