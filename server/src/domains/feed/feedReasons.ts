/** The short Chinese line under each feed item saying why it is there (made once per kind and topic). */
import { TOPICS, type FeedReasonKind, type Topic } from '@hcp360/shared';

const OTHER: Record<Exclude<FeedReasonKind, 'affinity'>, string> = {
  cluster: '同科室医生都在看',
  peers: '同行都在看',
  fresh: '新上线',
  editor: '编辑推荐',
  picked: '为你精选',
};

const affinity = (label: string) => `因为你关注「${label}」`;
const BY_TOPIC = new Map((Object.entries(TOPICS) as [Topic, string][]).map(([t, label]) => [t, affinity(label)]));
const NO_TOPIC = affinity('相关领域');

export function reasonText(kind: FeedReasonKind, topic?: Topic): string {
  return kind === 'affinity' ? ((topic && BY_TOPIC.get(topic)) ?? NO_TOPIC) : OTHER[kind];
}
