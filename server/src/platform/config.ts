/**
 * The environment, read and validated once at start. A bad value stops the process with a
 * message naming the variable, instead of failing later in a request.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().default('127.0.0.1'),
  MYSQL_URL: z
    .string()
    .regex(/^mysql:\/\/[^/]+\/[A-Za-z0-9_]+(\?.*)?$/, 'must look like mysql://user[:password]@host:port/database')
    .optional(),
  FAKE_WECHAT_PORT: port.default(3001),
  WECHAT_APPID: z.string().min(1).optional(),
  WECHAT_SECRET: z.string().min(1).optional(),
  WECHAT_API_BASE: z.url().optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  DEMO_PASSWORD: z.string().min(8).default('hcp360-demo'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default(path.resolve(import.meta.dirname, '../../../.data')),
  CORS_ORIGINS: z.string().default('http://localhost:10086,http://127.0.0.1:10086'),
  EVENTS_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(240),
  DEMO_HISTORY: z.enum(['on', 'off']).default('on'),
  BENCH_ROUTES: z.enum(['0', '1']).default('0'),
  FEED_CACHE_DOCTORS: z.coerce.number().int().min(0).default(20_000),
  FEED_CACHE_MAX_AGE_MS: z.coerce.number().int().min(1000).default(120_000),
  FEED_CACHE_POLL_MS: z.coerce.number().int().min(20).max(60_000).default(250),
  LIVE_INGEST_BASE: z.string().regex(/^rtmps?:\/\/[^\s]+$/, 'must be an rtmp:// or rtmps:// URL').default('rtmp://127.0.0.1:1935/live'),
  LIVE_PLAYBACK_BASE: z.url().optional(),
  LIVE_REMINDER_LEAD_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(30),
  LIVE_REMINDER_TEMPLATE_ID: z.string().min(1).max(64).default('hcp360-live-reminder'),
  LIVE_JOB_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
});

export interface Config {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  mysqlUrl?: string;
  dataDir: string;
  logLevel: string;
  demoPassword: string;
  corsOrigins: string[];
  /** POST /api/events requests one doctor may make per minute. */
  eventsRatePerMinute: number;
  /** Seed the demo doctors' reading history (events) with the demo data; off where a test counts every event. */
  demoHistory: boolean;
  /** Mount GET /bench/hello (the benchmarks' same-process baseline). Off unless BENCH_ROUTES=1. */
  benchRoutes: boolean;
  /** The feed's in-memory state of active doctors (feed/doctorReads.ts): how many, how old at most, how often the change log is read. */
  feedCache: { maxDoctors: number; maxAgeMs: number; pollMs: number };
  jwt: { secret: string; issuer: string; audience: string; accessTtlSeconds: number; refreshTtlDays: number };
  live: {
    /** RTMP ingest base; push URL = `<base>/<stream name>?key=<stream key>`. */
    ingestBase: string;
    /** HLS playback base (`<base>/<stream name>.m3u8`); unset: the demo serves a sample video at /live-demo/<stream name>.mp4. */
    playbackBase: string | null;
    reminderLeadMinutes: number;
    reminderTemplateId: string;
    /** How often the live job (reminders, cancellation notices) runs. */
    jobIntervalMs: number;
  };
  wechat: {
    /** true when no real AppID is configured: the fake WeChat server stands in. */
    useFake: boolean;
    fakePort: number;
    appid: string;
    secret: string;
    apiBase: string;
  };
}

export class ConfigError extends Error {}

/** Parses `env` into a Config; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`WECHAT_APPID=` in a shell or .env file) means "not set".
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new ConfigError('Invalid environment:\n  JWT_SECRET: required in production (at least 32 characters)');
  }
  if (e.WECHAT_APPID && !e.WECHAT_SECRET) {
    throw new ConfigError('Invalid environment:\n  WECHAT_SECRET: required when WECHAT_APPID is set');
  }
  const useFake = !e.WECHAT_APPID;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    mysqlUrl: e.MYSQL_URL,
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    demoPassword: e.DEMO_PASSWORD,
    corsOrigins: e.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    eventsRatePerMinute: e.EVENTS_RATE_LIMIT_PER_MINUTE,
    demoHistory: e.DEMO_HISTORY === 'on',
    benchRoutes: e.BENCH_ROUTES === '1',
    feedCache: { maxDoctors: e.FEED_CACHE_DOCTORS, maxAgeMs: e.FEED_CACHE_MAX_AGE_MS, pollMs: e.FEED_CACHE_POLL_MS },
    live: {
      ingestBase: e.LIVE_INGEST_BASE.replace(/\/+$/, ''),
      playbackBase: e.LIVE_PLAYBACK_BASE ? e.LIVE_PLAYBACK_BASE.replace(/\/+$/, '') : null,
      reminderLeadMinutes: e.LIVE_REMINDER_LEAD_MINUTES,
      reminderTemplateId: e.LIVE_REMINDER_TEMPLATE_ID,
      jobIntervalMs: e.LIVE_JOB_INTERVAL_SECONDS * 1000,
    },
    jwt: {
      secret: e.JWT_SECRET ?? developmentJwtSecret(e.DATA_DIR),
      issuer: 'hcp360',
      audience: 'hcp360-api',
      accessTtlSeconds: 15 * 60,
      refreshTtlDays: 30,
    },
    wechat: {
      useFake,
      fakePort: e.FAKE_WECHAT_PORT,
      appid: e.WECHAT_APPID ?? 'wxfake0000000000',
      secret: e.WECHAT_SECRET ?? 'fake-secret',
      apiBase: e.WECHAT_API_BASE ?? (useFake ? `http://127.0.0.1:${e.FAKE_WECHAT_PORT}` : 'https://api.weixin.qq.com'),
    },
  };
}

/** Development only: a random secret kept in .data/ so tokens survive restarts. */
function developmentJwtSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // not there yet
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
