/**
 * Image uploads, as every domain that takes them needs them (content covers, case images).
 * Following OWASP ASVS (file upload): the request body is read with a byte cap enforced while it
 * streams in; the format is read from the magic bytes, never from the declared type or a file
 * name; images are decoded and re-encoded with sharp, which drops every metadata block (EXIF
 * with GPS and device, XMP, text chunks) and anything appended after the image data; pixels are
 * bounded at decode; files get random names the server makes and are written atomically.
 *
 * The body may be the raw bytes (the console's fetch) or multipart/form-data with one file part
 * (wx.uploadFile and Taro.uploadFile always send multipart).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Context } from 'koa';
import sharp, { type OutputInfo } from 'sharp';
import { AppError } from './errors.js';

export type ImageKind = 'png' | 'jpg';

/** Decoding bombs: refuse images over this many pixels before decoding them. */
const MAX_INPUT_PIXELS = 40_000_000;
/** Stored images are at most this wide or high; bigger ones are scaled down. */
const MAX_DIMENSION = 2560;
/** Room for multipart boundaries and part headers on top of the file's own limit. */
const MULTIPART_OVERHEAD = 16 * 1024;

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The image format by its first bytes, whatever it was called. */
export function sniffImage(bytes: Buffer): ImageKind | undefined {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_MAGIC)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  return undefined;
}

export interface ReencodedImage {
  data: Buffer;
  kind: ImageKind;
  width: number;
  height: number;
}

/** Checks the magic bytes and re-encodes; 415 UNSUPPORTED_IMAGE for anything that is not a readable PNG or JPEG. */
export async function reencodeImage(bytes: Buffer): Promise<ReencodedImage> {
  const kind = sniffImage(bytes);
  if (!kind) throw new AppError('UNSUPPORTED_IMAGE');
  let out: { data: Buffer; info: OutputInfo };
  try {
    // rotate() applies the EXIF orientation first, so the picture still stands up once EXIF is gone.
    const pipeline = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize({ width: MAX_DIMENSION, height: MAX_DIMENSION, fit: 'inside', withoutEnlargement: true });
    out = await (kind === 'png' ? pipeline.png({ compressionLevel: 9 }) : pipeline.jpeg({ quality: 85, mozjpeg: true })).toBuffer({ resolveWithObject: true });
  } catch {
    throw new AppError('UNSUPPORTED_IMAGE', `The upload starts like a ${kind === 'png' ? 'PNG' : 'JPEG'} but is not a readable image.`);
  }
  return { data: out.data, kind, width: out.info.width, height: out.info.height };
}

// The rest of the body is not read: the connection is closed rather than reused after the answer.
const tooLarge = (limit: number) => new AppError('PAYLOAD_TOO_LARGE', `Uploads are limited to ${limit / 1024 / 1024} MB.`, undefined, { Connection: 'close' });

/** Reads the raw request body, refusing more than `limit` bytes as soon as it is clear. */
export async function readRawBody(ctx: Context, limit: number, reportedLimit = limit): Promise<Buffer> {
  // A JSON body was already parsed (and is not an image anyway).
  if (ctx.request.body !== undefined && ctx.is('application/json')) return Buffer.alloc(0);
  if (Number(ctx.get('content-length') || 0) > limit) throw tooLarge(reportedLimit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(reportedLimit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The bytes of the first file part of a multipart/form-data body, or undefined when there is none. */
export function firstMultipartFile(body: Buffer, contentType: string): Buffer | undefined {
  const m = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const headStart = at + delimiter.length + 2; // past CRLF
    const headEnd = body.indexOf('\r\n\r\n', headStart);
    if (headEnd === -1) return undefined;
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headEnd + 4);
    if (next === -1) return undefined;
    const headers = body.subarray(headStart, headEnd).toString('utf8');
    if (/content-disposition:[^\r\n]*filename=/i.test(headers)) return body.subarray(headEnd + 4, next);
    at = next + 2;
  }
  return undefined;
}

/** The uploaded file's bytes (raw body or the file part of a multipart body), at most `limit` bytes. */
export async function readUploadedFile(ctx: Context, limit: number): Promise<Buffer> {
  if (!ctx.is('multipart/form-data')) return readRawBody(ctx, limit);
  const body = await readRawBody(ctx, limit + MULTIPART_OVERHEAD, limit);
  const file = firstMultipartFile(body, ctx.get('content-type'));
  if (!file) throw new AppError('VALIDATION_FAILED', 'The multipart body has no file part.');
  if (file.length > limit) throw tooLarge(limit);
  return file;
}

/** A fresh random file name with `ext`: 32 hex characters. */
export const randomFileName = (ext: string) => `${randomBytes(16).toString('hex')}.${ext}`;

/** Writes then renames, so a reader never sees half a file. */
export async function writeFileAtomically(dir: string, name: string, bytes: Buffer): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${name}.tmp`);
  await fs.writeFile(tmp, bytes, { mode: 0o644 });
  await fs.rename(tmp, path.join(dir, name));
}
