/**
 * Per-field error messages for forms, from either source: the shared zod schema run on the
 * client, or the server's VALIDATION_FAILED details. Both key by dotted field path, so a form
 * shows them the same way (first message per field wins).
 */
import { ApiError } from '../services/apiError';

export type FieldErrors = Partial<Record<string, string>>;

/** The shape of a zod error we rely on (kept structural so this module needs no zod import). */
interface IssueList {
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>;
}

function collect(entries: Array<{ path: string; message: string }>): FieldErrors {
  const errors: FieldErrors = {};
  for (const { path, message } of entries) {
    const key = path === '' ? '_form' : path;
    errors[key] ??= message;
  }
  return errors;
}

export function fieldErrorsFromZod(error: IssueList): FieldErrors {
  return collect(error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })));
}

/**
 * Field errors carried by a failed API call. Only fields the form knows are kept; anything else
 * (another code, an unknown field) is returned as null so the caller shows the general message.
 */
export function fieldErrorsFromApi(err: unknown, knownFields: readonly string[]): FieldErrors | null {
  if (!(err instanceof ApiError)) return null;
  const issues = err.fieldIssues.filter((issue) => knownFields.includes(issue.path));
  return issues.length > 0 ? collect(issues) : null;
}
