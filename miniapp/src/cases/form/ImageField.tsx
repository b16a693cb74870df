/**
 * Picking and uploading case images: each picked image uploads at once with its progress shown;
 * the server checks and re-encodes it (EXIF and GPS removed) and names it. Failed uploads are
 * dropped with the reason. Only finished uploads become part of the answers.
 */
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { caseErrorMessage, uploadCaseImage } from '../../pages/cases/casesApi';

export interface ImageItem {
  /** The server's name once uploaded. */
  name?: string;
  /** What to show: the local file while uploading, then a signed URL or the local file. */
  src: string;
  /** 0–100 while uploading. */
  progress?: number;
  key: string;
}

let seq = 0;

export type ImageUpdate = (fn: (items: ImageItem[]) => ImageItem[]) => void;

export function ImageField({ id, maxCount, items, onChange: update }: { id: string; maxCount: number; items: ImageItem[]; onChange: ImageUpdate }) {
  async function pick() {
    const room = maxCount - items.length;
    if (room <= 0) return;
    let paths: string[];
    try {
      paths = (await Taro.chooseImage({ count: room, sizeType: ['compressed'], sourceType: ['album', 'camera'] })).tempFilePaths;
    } catch {
      return; // cancelled
    }
    for (const path of paths.slice(0, room)) {
      const key = `img-${++seq}`;
      update((all) => [...all, { key, src: path, progress: 0 }]);
      try {
        const up = await uploadCaseImage(path, (p) => update((all) => all.map((it) => (it.key === key ? { ...it, progress: p } : it))));
        update((all) => all.map((it) => (it.key === key ? { key, src: path, name: up.name } : it)));
      } catch (err) {
        update((all) => all.filter((it) => it.key !== key));
        void Taro.showToast({ title: caseErrorMessage(err), icon: 'none' });
      }
    }
  }

  return (
    <View className='case-images' id={id}>
      {items.map((it) => (
        <View key={it.key} className='case-image'>
          <Image className='case-image-img' src={it.src} mode='aspectFill' onClick={() => it.name && void Taro.previewImage({ urls: [it.src] })} />
          {it.name ? (
            <Text className='case-image-remove' onClick={() => update((all) => all.filter((x) => x.key !== it.key))}>
              ×
            </Text>
          ) : (
            <Text className='case-image-progress'>{`上传中 ${it.progress ?? 0}%`}</Text>
          )}
        </View>
      ))}
      {items.length < maxCount ? (
        <View className='case-image-add' id={`${id}-add`} onClick={() => void pick()}>
          <Text>＋</Text>
        </View>
      ) : null}
    </View>
  );
}
