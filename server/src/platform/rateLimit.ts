/**
 * Per-caller rate limits (rate-limiter-flexible). In memory per instance for now: with several
 * BFF instances behind a load balancer the limit is per instance, which over-admits by the
 * instance count; moving to its Redis or MySQL store is a one-line change here.
 */
import type { Context, Next } from 'koa';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { principalOf } from './auth.js';
import { AppError } from './errors.js';

export function rateLimitPerPrincipal(name: string, perMinute: number) {
  const limiter = new RateLimiterMemory({ keyPrefix: name, points: perMinute, duration: 60 });
  return async function limitRate(ctx: Context, next: Next) {
    const p = principalOf(ctx);
    try {
      await limiter.consume(`${p.kind}:${p.id}`);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw new AppError('RATE_LIMITED', `Too many requests; retry in ${seconds} s.`, { retryAfterSeconds: seconds }, { 'Retry-After': String(seconds) });
    }
    await next();
  };
}
