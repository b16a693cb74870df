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
   * Told once a change to doctors' HCP360 state is committed in this process (the engine's change
   * log, tags/changeLog.ts): read-side caches (the feed's doctor state) drop those doctors.
   */
  doctorsChanged?: (ids: readonly string[] | 'everyone') => void;
  /**
   * Run at shutdown once in-flight requests have finished and before the pool closes, in order:
   * buffered writes and background jobs a domain must finish (the feed's impressions).
   */
  closeHooks?: (() => Promise<void>)[];
}
