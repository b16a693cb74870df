/**
 * Rep: the poster (with the mini-program code whose scene credits this rep) and the share card
 * of a scheduled live stream. The stream key and push URL are shown to the applicant only (the
 * server leaves them out for anyone else), for the speaker's streaming software.
 */
import { useEffect, useState } from 'react';
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import type { LiveShareResponse, LiveStaffView } from '@hcp360/shared';
import { ErrorState, LoadingState } from '../../components/PageStatus';
import { PrimaryButton } from '../../components/PrimaryButton';
import { fetchApplication, liveErrorText, servedUrl, shareLive } from '../../live/liveApi';
import '../../live/live.css';

const TEXT = {
  save: '保存海报到相册',
  saved: '已保存到相册',
  hint: '长按海报可转发给医生；也可点击右上角「…」转发直播卡片，医生报名将计入您的邀请。',
  push: '推流地址（仅申请人可见，请勿外传）',
  copy: '复制推流地址',
  copied: '已复制',
};

type State = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; live: LiveStaffView; share: LiveShareResponse };

export default function RepPosterPage() {
  const id = useRouter().params.id ?? '';
  const [state, setState] = useState<State>({ status: 'loading' });
  const load = async () => {
    try {
      const [live, share] = await Promise.all([fetchApplication(id), shareLive(id)]);
      setState({ status: 'ready', live, share });
    } catch (err) {
      setState({ status: 'error', message: liveErrorText(err) });
    }
  };
  useEffect(() => {
    void load();
  }, [id]);
  useShareAppMessage(() => ({
    title: state.status === 'ready' ? state.live.title : '学术直播',
    path: `/${state.status === 'ready' ? state.share.sharePath : `pages/live/index?id=${id}`}`,
  }));

  if (state.status === 'loading') return <View className='page'><LoadingState /></View>;
  if (state.status === 'error') return <View className='page'><ErrorState message={state.message} onRetry={() => void load()} /></View>;
  const poster = servedUrl(state.share.posterUrl) ?? '';

  const save = async () => {
    try {
      const { tempFilePath } = await Taro.downloadFile({ url: poster });
      await Taro.saveImageToPhotosAlbum({ filePath: tempFilePath });
      void Taro.showToast({ title: TEXT.saved, icon: 'success' });
    } catch (err) {
      void Taro.showToast({ title: liveErrorText(err), icon: 'none' });
    }
  };

  return (
    <View className='page rep-poster-page'>
      <Image className='live-poster' id='rep-poster-image' src={poster} mode='widthFix' showMenuByLongpress />
      <Text className='live-note'>{TEXT.hint}</Text>
      <PrimaryButton id='rep-poster-save' onClick={() => void save()}>
        {TEXT.save}
      </PrimaryButton>
      {state.live.pushUrl ? (
        <View className='live-field'>
          <Text className='live-field-label'>{TEXT.push}</Text>
          <Text className='live-note' userSelect>{state.live.pushUrl}</Text>
          <Text className='live-note' onClick={() => void Taro.setClipboardData({ data: state.live.pushUrl! }).then(() => Taro.showToast({ title: TEXT.copied }))}>{TEXT.copy}</Text>
        </View>
      ) : null}
    </View>
  );
}
