/** Loading, error and empty states shared by all pages, so they look and read the same. */
import { Button, Text, View } from '@tarojs/components';
import './PageStatus.css';

export function LoadingState({ text = '加载中…' }: { text?: string }) {
  return (
    <View className='status status-loading' id='page-loading'>
      <View className='status-spinner' />
      <Text className='status-text'>{text}</Text>
    </View>
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <View className='status status-error' id='page-error'>
      <View className='status-icon status-icon-error'>!</View>
      <Text className='status-title'>加载失败</Text>
      <Text className='status-text'>{message}</Text>
      <Button id='retry-button' className='btn btn-quiet status-action' onClick={onRetry}>
        重试
      </Button>
    </View>
  );
}

export function EmptyState({ title, hint }: { title: string; hint: string }) {
  return (
    <View className='status status-empty'>
      <View className='status-icon status-icon-empty'>◎</View>
      <Text className='status-title'>{title}</Text>
      <Text className='status-text'>{hint}</Text>
    </View>
  );
}
