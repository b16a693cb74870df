/** The notice Rx-only material carries (WECHAT.md "Chinese rules"), shown above everything else. */
import { Text, View } from '@tarojs/components';
import './content.css';

export function RxNotice({ notice }: { notice: string }) {
  return (
    <View className='rx-notice' id='rx-notice'>
      <Text className='rx-notice-mark'>Rx</Text>
      <Text className='rx-notice-text'>{notice}</Text>
    </View>
  );
}
