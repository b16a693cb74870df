import { View, Text } from '@tarojs/components';
import { TITLES } from '@hcp360/shared';
export default function Index() { return <View><Text>你好 {TITLES.join(',')}</Text></View>; }
