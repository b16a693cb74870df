/**
 * Case images: clinical pictures doctors attach to a case (ECG, imaging, lab sheets). They are
 * checked and re-encoded like every upload (platform/imageUpload.ts: magic bytes, ≤ 5 MB, EXIF
 * with GPS and device gone), stored in <DATA_DIR>/case-images — outside the public media folder —
 * under server-made names, and served only to the doctor who uploaded them and, once a submitted
 * version names them, to reviewers. Everyone else gets 404.
 *
 * An <image> tag cannot send a bearer token, so views carry short-lived signed URLs
 * (`?exp=…&sig=…`, HMAC-SHA256 with a key derived from the JWT secret) that the API hands out
 * only to those allowed to see the image.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CASE_IMAGE_NAME_RE, MAX_UPLOAD_BYTES, type CaseImageUpload, type StaffRole } from '@hcp360/shared';
import type { Context } from 'koa';
import type { Principal } from '../../platform/auth.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { randomFileName, readUploadedFile, reencodeImage, writeFileAtomically } from '../../platform/imageUpload.js';
import { findCaseImages, insertCaseImage } from './repo.js';

export const CASE_IMAGE_UPLOAD_PATH = '/api/cases/images';
/** Who reviews case submissions (and may see their images). */
export const CASE_REVIEWERS: readonly StaffRole[] = ['medical', 'compliance'];
const URL_TTL_MS = 30 * 60_000;

const imageDir = (dataDir: string) => path.join(dataDir, 'case-images');

function signingKey(deps: Deps): Buffer {
  return createHmac('sha256', deps.config.jwt.secret).update('hcp360 case-image urls').digest();
}

function signature(deps: Deps, name: string, exp: number): string {
  return createHmac('sha256', signingKey(deps)).update(`${name}.${exp}`).digest('base64url');
}

/** A viewing URL for `name`, valid for half an hour. Hand it only to someone allowed to see the image. */
export function signedImageUrl(deps: Deps, name: string): string {
  // Rounded to the minute so repeated reads give the same URL (the client's image cache works).
  const exp = Math.ceil((deps.clock() + URL_TTL_MS) / 60_000) * 60_000;
  return `${CASE_IMAGE_UPLOAD_PATH}/${name}?exp=${exp}&sig=${signature(deps, name, exp)}`;
}

/** Signed URLs of every image named in `answers` (values that are lists of image names). */
export function imageUrlsOf(deps: Deps, answers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of Object.values(answers)) {
    if (Array.isArray(v)) for (const n of v) if (typeof n === 'string' && CASE_IMAGE_NAME_RE.test(n)) out[n] = signedImageUrl(deps, n);
  }
  return out;
}

function validSignature(deps: Deps, name: string, exp: string | undefined, sig: string | undefined): boolean {
  if (!exp || !sig || !/^\d{1,15}$/.test(exp) || Number(exp) < deps.clock()) return false;
  const want = Buffer.from(signature(deps, name, Number(exp)));
  const got = Buffer.from(sig);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** POST /api/cases/images (a verified doctor): the image as the raw body or a multipart file part. */
export async function uploadCaseImage(deps: Deps, ctx: Context, hcpId: string): Promise<CaseImageUpload> {
  const bytes = await readUploadedFile(ctx, MAX_UPLOAD_BYTES);
  if (bytes.length === 0) throw new AppError('VALIDATION_FAILED', 'Send the image as the request body.');
  const img = await reencodeImage(bytes);
  const name = randomFileName(img.kind);
  const contentType = img.kind === 'png' ? 'image/png' : 'image/jpeg';
  await writeFileAtomically(imageDir(deps.config.dataDir), name, img.data);
  await insertCaseImage(deps.pool, { name, hcpId, contentType, bytes: img.data.length, width: img.width, height: img.height }, new Date(deps.clock()));
  return { name, url: signedImageUrl(deps, name), contentType, bytes: img.data.length, width: img.width, height: img.height };
}

/** GET /api/cases/images/:name: the author, a reviewer of a submitted image, or a valid signed URL; 404 for anyone else. */
export async function serveCaseImage(deps: Deps, ctx: Context, principal: Principal | undefined): Promise<void> {
  const name = ctx.params.name ?? '';
  const notFound = () => new AppError('NOT_FOUND', 'No such image.');
  if (!CASE_IMAGE_NAME_RE.test(name)) throw notFound();
  const row = (await findCaseImages(deps.pool, [name])).get(name);
  if (!row) throw notFound();
  const q = ctx.query as Record<string, string | undefined>;
  const allowed =
    validSignature(deps, name, q.exp, q.sig) ||
    (principal?.kind === 'hcp' && principal.id === row.hcpId) ||
    (principal?.kind === 'staff' && CASE_REVIEWERS.includes(principal.role as StaffRole) && row.submissionId !== null);
  if (!allowed) throw notFound();
  const file = path.join(imageDir(deps.config.dataDir), name);
  const stat = await fs.promises.stat(file).catch(() => undefined);
  if (!stat?.isFile()) throw notFound();
  // Patient material: never kept by shared caches.
  ctx.set('Cache-Control', 'private, max-age=600');
  // The h5 dev server runs on another origin; access is decided above, not by origin.
  ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
  ctx.type = row.contentType;
  ctx.length = stat.size;
  ctx.body = fs.createReadStream(file);
}
