/**
 * Access tokens (JWT, HS256, 15 minutes) and the middleware that turns a bearer token into a
 * principal. Following RFC 8725: the algorithm is pinned on verify (so `alg: none` and forged
 * RS256 tokens are refused), and `iss`, `aud`, `typ` and expiry are checked.
 * Identity and role come only from a verified token, never from the request body.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { Role, StaffRole } from '@hcp360/shared';
import jwt from 'jsonwebtoken';
import type { Context, Next } from 'koa';
import { AppError } from './errors.js';

export interface Principal {
  /** Doctors are `hcp`; staff (including reps signed in through WeChat) are `staff`. */
  kind: 'hcp' | 'staff';
  id: string;
  role: Role;
}

interface AccessClaims {
  sub: string;
  kind: Principal['kind'];
  role: Role;
  typ: 'access';
}

export interface TokenConfig {
  secret: string;
  issuer: string;
  audience: string;
  accessTtlSeconds: number;
}

/** Seconds of clock skew an expiry is allowed. */
const CLOCK_TOLERANCE_S = 5;
/** Verified tokens remembered (AccessTokens.verify). */
const VERIFIED_KEPT = 20_000;

export class AccessTokens {
  /**
   * The secret as a KeyObject, made once: given a string, jsonwebtoken first tries to parse it as
   * a public key on every verify (and fails), which cost a quarter of ingest CPU time.
   */
  private readonly key: KeyObject;

  constructor(
    private readonly cfg: TokenConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.key = createSecretKey(Buffer.from(cfg.secret, 'utf8'));
  }

  sign(p: Principal): string {
    const iat = Math.floor(this.now() / 1000);
    const claims: AccessClaims & { iat: number; exp: number } = {
      sub: p.id,
      kind: p.kind,
      role: p.role,
      typ: 'access',
      iat,
      exp: iat + this.cfg.accessTtlSeconds,
    };
    return jwt.sign(claims, this.key, {
      algorithm: 'HS256',
      issuer: this.cfg.issuer,
      audience: this.cfg.audience,
      header: { alg: 'HS256', typ: 'JWT' },
    });
  }

  /**
   * Tokens verified already, with their expiry: a doctor's app sends the same token with every
   * request for 15 minutes, and verifying it again each time cost about 4 % of a feed request's
   * CPU (measured). Only tokens whose signature and claims passed are kept (so a hit needs the
   * exact signed string); expiry is still checked on every use. At most VERIFIED_KEPT, the
   * earliest remembered out first.
   */
  private readonly verified = new Map<string, { principal: Principal; exp: number }>();

  verify(token: string): Principal {
    const hit = this.verified.get(token);
    if (hit) {
      if (Math.floor(this.now() / 1000) < hit.exp + CLOCK_TOLERANCE_S) return hit.principal;
      this.verified.delete(token);
    }
    return this.verifyAfresh(token);
  }

  private verifyAfresh(token: string): Principal {
    let claims: jwt.JwtPayload;
    try {
      claims = jwt.verify(token, this.key, {
        algorithms: ['HS256'],
        issuer: this.cfg.issuer,
        audience: this.cfg.audience,
        clockTimestamp: Math.floor(this.now() / 1000),
        clockTolerance: CLOCK_TOLERANCE_S,
      }) as jwt.JwtPayload;
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError) throw new AppError('TOKEN_EXPIRED');
      throw new AppError('TOKEN_INVALID');
    }
    const okKind = claims.kind === 'hcp' || claims.kind === 'staff';
    if (claims.typ !== 'access' || !okKind || typeof claims.sub !== 'string' || typeof claims.role !== 'string') {
      throw new AppError('TOKEN_INVALID');
    }
    if ((claims.kind === 'hcp') !== (claims.role === 'doctor')) throw new AppError('TOKEN_INVALID');
    const principal: Principal = { kind: claims.kind, id: claims.sub, role: claims.role as Role };
    if (typeof claims.exp === 'number') {
      if (this.verified.size >= VERIFIED_KEPT) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { principal, exp: claims.exp });
    }
    return principal;
  }
}

/** Reads the bearer token, if any, into ctx.state.principal. A malformed or bad token is a 401. */
export function authenticate(tokens: AccessTokens) {
  return async function readBearer(ctx: Context, next: Next) {
    const header = ctx.get('authorization');
    if (header) {
      const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header);
      if (!match?.[1]) throw new AppError('TOKEN_INVALID', 'The Authorization header must be "Bearer <token>".');
      ctx.state.principal = tokens.verify(match[1]);
    }
    await next();
  };
}

export function principalOf(ctx: Context): Principal {
  const p = ctx.state.principal as Principal | undefined;
  if (!p) throw new AppError('UNAUTHENTICATED');
  return p;
}

/** Routes of a doctor's own data: only doctor tokens pass. */
export function requireDoctor() {
  return async function doctorOnly(ctx: Context, next: Next) {
    const p = principalOf(ctx);
    if (p.kind !== 'hcp') throw new AppError('FORBIDDEN', 'Only doctors have this resource.');
    await next();
  };
}

/** Staff routes: the token must be a staff token with one of `roles`. */
export function requireStaff(...roles: StaffRole[]) {
  return async function staffOnly(ctx: Context, next: Next) {
    const p = principalOf(ctx);
    if (p.kind !== 'staff' || !roles.includes(p.role as StaffRole)) {
      throw new AppError('FORBIDDEN', `This needs one of the roles: ${roles.join(', ')}.`);
    }
    await next();
  };
}
