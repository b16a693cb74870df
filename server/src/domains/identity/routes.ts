/** Sign-in routes and a doctor's own data (DESIGN §7). */
import {
  ConsentInput,
  PhoneInput,
  ProfileInput,
  RefreshInput,
  StaffLoginInput,
  VerificationInput,
  WechatLoginInput,
} from '@hcp360/shared';
import Router from '@koa/router';
import { principalOf, requireDoctor } from '../../platform/auth.js';
import type { Deps } from '../../platform/deps.js';
import { parseOrThrow } from '../../platform/errors.js';
import { refresh, staffLogin, wechatLogin } from './login.js';
import { acceptConsent, bindPhone, getMe, requestVerification, updateProfile } from './me.js';

export function identityRoutes(deps: Deps): Router {
  const router = new Router();

  router.post('/api/auth/wechat-login', async (ctx) => {
    const { code } = parseOrThrow(WechatLoginInput, ctx.request.body);
    ctx.body = await wechatLogin(deps, code);
  });

  router.post('/api/auth/refresh', async (ctx) => {
    const { refreshToken } = parseOrThrow(RefreshInput, ctx.request.body);
    ctx.body = await refresh(deps, refreshToken);
  });

  router.post('/api/auth/staff-login', async (ctx) => {
    const { username, password } = parseOrThrow(StaffLoginInput, ctx.request.body);
    ctx.body = await staffLogin(deps, username, password);
  });

  const me = new Router({ prefix: '/api/me' });
  me.use(requireDoctor());
  me.get('/', async (ctx) => {
    ctx.body = await getMe(deps, principalOf(ctx).id);
  });
  me.put('/profile', async (ctx) => {
    ctx.body = await updateProfile(deps, principalOf(ctx).id, parseOrThrow(ProfileInput, ctx.request.body));
  });
  me.post('/consents', async (ctx) => {
    ctx.body = await acceptConsent(deps, principalOf(ctx).id, parseOrThrow(ConsentInput, ctx.request.body));
  });
  me.post('/verification', async (ctx) => {
    const { licenseNo } = parseOrThrow(VerificationInput, ctx.request.body);
    ctx.status = 201;
    ctx.body = await requestVerification(deps, principalOf(ctx).id, licenseNo);
  });
  me.post('/phone', async (ctx) => {
    const { code } = parseOrThrow(PhoneInput, ctx.request.body);
    ctx.body = await bindPhone(deps, principalOf(ctx).id, code);
  });
  router.use(me.routes());
  return router;
}
