/**
 * Where the HCP360 engine finds the topics of what events point at: each domain that owns items
 * with topics offers a lookup (content now; live streams and case campaigns as they arrive).
 */
import { campaignInfoOf } from './domains/cases/service.js';
import { contentInfoOf } from './domains/content/eligibility.js';
import { liveInfoOf } from './domains/live/repo.js';
import type { ItemSources } from './domains/tags/evaluate.js';

export const ITEM_SOURCES: ItemSources = { content: contentInfoOf, live: liveInfoOf, campaign: campaignInfoOf };
