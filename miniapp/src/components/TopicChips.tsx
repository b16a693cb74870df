/** A row of topic chips to filter by; 全部 clears the filter. */
import { ScrollView, Text, View } from '@tarojs/components';
import type { FeedTopicFacet, Topic } from '@hcp360/shared';
import './TopicChips.css';

export function TopicChips({ topics, selected, onSelect }: { topics: FeedTopicFacet[]; selected: Topic | null; onSelect: (t: Topic | null) => void }) {
  const chip = (key: string, label: string, topic: Topic | null) => (
    <View key={key} id={`topic-chip-${key}`} className={`topic-chip${selected === topic ? ' topic-chip-active' : ''}`} onClick={() => onSelect(topic)}>
      <Text>{label}</Text>
    </View>
  );
  return (
    <ScrollView className='topic-chips' scrollX enhanced showScrollbar={false}>
      <View className='topic-chips-row'>
        {chip('all', '全部', null)}
        {topics.map((t) => chip(t.topic, t.label, t.topic))}
      </View>
    </ScrollView>
  );
}
