/** The short Chinese line under each feed item saying why it is there. */
import { TOPICS, type FeedReasonKind, type Topic } from '@hcp360/shared';

export function reasonText(kind: FeedReasonKind, topic?: Topic): string {
  switch (kind) {
    case 'affinity':
      return `因为你关注「${topic ? TOPICS[topic] : '相关领域'}」`;
    case 'cluster':
      return '同科室医生都在看';
    case 'peers':
      return '同行都在看';
    case 'fresh':
      return '新上线';
    case 'editor':
      return '编辑推荐';
    case 'picked':
      return '为你精选';
  }
}
