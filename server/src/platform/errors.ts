/**
 * The only place that knows how an error becomes a response: `{error: {code, message, details?}}`
 * with the status the shared error table gives the code. Unknown errors become INTERNAL 500 and
 * are logged with the request id, never leaked.
 */
import { ERROR_CODES, type ErrorCode } from '@hcp360/shared';
import type { Context, Next } from 'koa';
import type { z } from 'zod';

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message ?? ERROR_CODES[code].message);
    this.status = ERROR_CODES[code].status;
  }
}

/** Parses `input` with a shared schema or throws VALIDATION_FAILED with one detail per problem. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || (issue.code === 'unrecognized_keys' ? '' : '(body)'),
    message:
      issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  throw new AppError('VALIDATION_FAILED', summarise(details), details);
}

function summarise(details: { path: string; message: string }[]): string {
  const first = details[0];
  if (!first) return ERROR_CODES.VALIDATION_FAILED.message;
  const more = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
  return `${first.path ? `${first.path}: ` : ''}${first.message}${more}`;
}

interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

/** Maps errors thrown by Koa's body parser and friends onto our codes. */
function fromHttpError(err: HttpishError): AppError | undefined {
  const status = err.status ?? err.statusCode;
  if (err.type === 'entity.parse.failed' || (status === 400 && err.type === 'entity.verify.failed')) {
    return new AppError('INVALID_JSON');
  }
  if (status === 413 || err.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE');
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  // co-body rethrows JSON.parse's SyntaxError with status 400.
  if (status === 400 && (err instanceof SyntaxError || err.expose)) return new AppError('INVALID_JSON');
  return undefined;
}

export function errorMiddleware() {
  return async function handleErrors(ctx: Context, next: Next) {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new AppError('NOT_FOUND', `No route for ${ctx.method} ${ctx.path}.`);
      }
    } catch (raw) {
      const err = raw instanceof AppError ? raw : (fromHttpError(raw as HttpishError) ?? raw);
      if (err instanceof AppError) {
        ctx.status = err.status;
        ctx.body = { error: { code: err.code, message: err.message, ...(err.details !== undefined && { details: err.details }) } };
        for (const [k, v] of Object.entries(err.headers ?? {})) ctx.set(k, v);
        if (err.status >= 500) ctx.state.log?.error({ err: loggable(raw) }, 'request failed');
        return;
      }
      ctx.state.log?.error({ err: loggable(err) }, 'unhandled error');
      ctx.status = 500;
      ctx.body = { error: { code: 'INTERNAL', message: ERROR_CODES.INTERNAL.message } };
    }
  };
}

/** Only the type, message and stack: errors from body parsing carry the raw body, which may hold secrets. */
function loggable(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  return { type: err.name, message: err.message, stack: err.stack, code: (err as { code?: unknown }).code };
}
