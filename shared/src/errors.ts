/**
 * Every error code the API can answer with, its HTTP status, and the default message.
 * Codes are stable (clients switch on them); messages are for people and may improve.
 * The server's AppError takes its status from here, so a code cannot drift from its status.
 */
export const ERROR_CODES = {
  // request shape
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  VALIDATION_FAILED: { status: 400, message: 'Some fields are missing or invalid.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  BATCH_SIZE: { status: 400, message: 'Send between 1 and 100 events in `events`.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; retry later.' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side.' },
  DATABASE_UNAVAILABLE: { status: 503, message: 'The database is not answering.' },

  // authentication
  UNAUTHENTICATED: { status: 401, message: 'Sign in first: no bearer token was sent.' },
  TOKEN_INVALID: { status: 401, message: 'The access token is invalid.' },
  TOKEN_EXPIRED: { status: 401, message: 'The access token has expired; refresh it.' },
  REFRESH_TOKEN_INVALID: { status: 401, message: 'The refresh token is invalid or expired; sign in again.' },
  REFRESH_TOKEN_REUSED: {
    status: 401,
    message: 'This refresh token was already used; all sessions from it were signed out.',
  },
  INVALID_CREDENTIALS: { status: 401, message: 'Wrong username or password.' },
  ACCOUNT_LOCKED: { status: 429, message: 'Too many failed sign-ins; the account is locked for a while.' },
  ACCOUNT_DISABLED: { status: 403, message: 'This account is disabled.' },
  FORBIDDEN: { status: 403, message: 'Your role may not do this.' },

  // WeChat
  WECHAT_CODE_INVALID: { status: 401, message: 'The WeChat login code is invalid or expired.' },
  WECHAT_CODE_USED: { status: 401, message: 'The WeChat login code was already used.' },
  WECHAT_RATE_LIMITED: { status: 429, message: 'WeChat says this user signs in too often; retry in a minute.' },
  WECHAT_USER_BLOCKED: { status: 403, message: 'WeChat blocked this user as high-risk.' },
  WECHAT_UNAVAILABLE: { status: 503, message: 'WeChat is not answering; retry shortly.' },
  PHONE_CODE_INVALID: { status: 400, message: 'The phone-number code is invalid or expired.' },

  // doctor profile, consent and verification
  CONSENT_VERSION_OUTDATED: {
    status: 409,
    message: 'That privacy policy version is not the current one; reload and read the current policy.',
  },
  CONSENT_REQUIRED: { status: 409, message: 'Accept the current privacy policy first.' },
  PROFILE_INCOMPLETE: { status: 409, message: 'Complete your profile first.' },
  VERIFICATION_PENDING: { status: 409, message: 'A verification request is already being reviewed.' },
  ALREADY_VERIFIED: { status: 409, message: 'You are already verified.' },
  INVALID_TRANSITION: { status: 409, message: 'That action is not allowed in the current state.' },

  // content
  RX_ONLY: { status: 403, message: 'This material is for verified healthcare professionals only; complete HCP verification first.' },
  SELF_REVIEW_FORBIDDEN: { status: 403, message: 'The author of an item cannot review it; another reviewer must.' },
  UNKNOWN_SEGMENT: { status: 400, message: 'One or more audience segments do not exist.' },
  PUBLISH_WINDOW_PASSED: {
    status: 409,
    message: 'The expiry time of this version has passed; edit its dates (it goes back to draft) before publishing.',
  },
  UNSUPPORTED_IMAGE: { status: 415, message: 'Upload a PNG or JPEG image (checked by its content, not its name or declared type).' },

  // live streams
  REGISTRATION_CLOSED: { status: 409, message: 'Registration for this live stream is not open.' },
  SELF_APPROVAL_FORBIDDEN: { status: 403, message: 'The applicant of a live stream cannot approve it; another reviewer must.' },
  SCENE_INVALID: { status: 404, message: 'This mini-program code is unknown or no longer valid.' },

  // case submissions
  PHI_DETECTED: {
    status: 422,
    message: 'The submission contains patient identifiers; remove or mask them (see details for where) and submit again.',
  },
  VERIFICATION_REQUIRED: { status: 403, message: 'Only verified healthcare professionals may do this; complete HCP verification first.' },
  CONTENT_RISKY: { status: 422, message: 'WeChat content security refused this text; rewrite the flagged parts and submit again.' },
  CAMPAIGN_CLOSED: { status: 409, message: 'This campaign is not open for submissions.' },
  SUBMISSION_LIMIT: { status: 409, message: 'You have submitted as many cases to this campaign as it allows.' },
  DRAFT_CONFLICT: { status: 409, message: 'The draft was saved from another device since you loaded it; reload it before saving.' },
  IMAGE_NOT_FOUND: { status: 400, message: 'An image in the answers is not one you uploaded; upload it again.' },

  // feed
  FEED_CURSOR_INVALID: { status: 400, message: 'That feed cursor is not one this doctor was given; start again without a cursor.' },
  FEED_CURSOR_EXPIRED: { status: 409, message: 'That feed ranking has expired; load the feed again from the top.' },

  // HCP360 engine
  RULE_INVALID: { status: 400, message: 'The rule is not valid; see details for where.' },
  TAG_KEY_TAKEN: { status: 409, message: 'Another rule tag already uses that key.' },

  // admin
  USERNAME_TAKEN: { status: 409, message: 'That username is taken.' },
  NOT_A_REP: { status: 409, message: 'Only rep accounts can be bound to a WeChat identity.' },
  WECHAT_IDENTITY_TAKEN: { status: 409, message: 'That WeChat identity is already bound to another staff account.' },
  MERGE_ALREADY_UNDONE: { status: 409, message: 'This merge was already undone.' },
  MERGE_NOT_UNDOABLE: {
    status: 409,
    message: 'This merge cannot be undone because a later merge involves the same doctors; undo that one first.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The contract's error body: `{"error": {"code", "message", "details"?}}`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}
