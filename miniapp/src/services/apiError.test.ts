import { ERROR_CODES, type ErrorCode } from '@hcp360/shared';
import { describe, expect, it } from 'vitest';
import { ApiError } from './apiError';

/** Codes only the staff console, the event SDK's own batching or health checks meet; the pages never show them. */
const NOT_FOR_PAGES = new Set<ErrorCode>([
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'UNKNOWN_SEGMENT',
  'PUBLISH_WINDOW_PASSED',
  'RULE_INVALID',
  'TAG_KEY_TAKEN',
  'USERNAME_TAKEN',
  'NOT_A_REP',
  'WECHAT_IDENTITY_TAKEN',
  'MERGE_ALREADY_UNDONE',
  'MERGE_NOT_UNDOABLE',
  'BATCH_SIZE',
  'DATABASE_UNAVAILABLE',
]);

/** Codes that are their status's plain case: their wording is the status's own. */
const STATUS_WORDING = new Set<ErrorCode>(['NOT_FOUND', 'RATE_LIMITED', 'INTERNAL', 'UNAUTHENTICATED', 'TOKEN_INVALID', 'FORBIDDEN']);

describe('the Chinese messages of API errors', () => {
  const codes = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((c) => !NOT_FOR_PAGES.has(c));
  it.each(codes)('words %s for doctors and reps in Chinese of its own, not the fallback for its status', (code) => {
    const { status } = ERROR_CODES[code];
    const message = new ApiError(status, code).message;
    expect(message).toMatch(/[\u4e00-\u9fff]/);
    // What a code without a message of its own gets for that status.
    if (!STATUS_WORDING.has(code)) expect(message).not.toBe(new ApiError(status, 'NO_SUCH_CODE').message);
  });
});
