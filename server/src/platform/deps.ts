/** What domain services need from the platform, passed explicitly (tests build their own). */
import type { AccessTokens } from './auth.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Pool } from './db.js';
import type { Logger } from './logger.js';
import type { WechatClient } from './wechat.js';

export interface Deps {
  config: Config;
  pool: Pool;
  clock: Clock;
  log: Logger;
  tokens: AccessTokens;
  wechat: WechatClient;
  /** Told after ingest stored new events for a doctor (the tagger listens, in process). */
  onEventsStored?: (hcpId: string) => void;
  /**
   * Run at shutdown once in-flight requests have finished and before the pool closes, in order:
   * buffered writes and background jobs a domain must finish (the feed's impressions).
   */
  closeHooks?: (() => Promise<void>)[];
}
