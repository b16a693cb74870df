/**
 * The media store: images for covers and bodies in <DATA_DIR>/media, under random names the
 * server makes. Following OWASP ASVS (file upload): the format is read from the magic bytes,
 * never from the declared type or a file name; images are decoded and re-encoded with sharp,
 * which drops every metadata block (EXIF with GPS, XMP, text chunks) and anything appended
 * after the image data; sizes are bounded (bytes here, pixels at decode).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { MEDIA_NAME_RE, type UploadResponse } from '@hcp360/shared';
import sharp, { type OutputInfo } from 'sharp';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';

export type ImageKind = 'png' | 'jpg';
export const CONTENT_TYPES: Record<'png' | 'jpg' | 'mp4', string> = { png: 'image/png', jpg: 'image/jpeg', mp4: 'video/mp4' };

/** Decoding bombs: refuse images over this many pixels before decoding them. */
const MAX_INPUT_PIXELS = 40_000_000;
/** Stored images are at most this wide or high; bigger ones are scaled down. */
const MAX_DIMENSION = 2560;

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The image format by its first bytes, whatever it was called. */
export function sniffImage(bytes: Buffer): ImageKind | undefined {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_MAGIC)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  return undefined;
}

export const mediaDir = (dataDir: string) => path.join(dataDir, 'media');

/** The file behind a media name, or undefined when the name is not one we make (no path ever escapes the folder). */
export function mediaFile(dataDir: string, name: string): { file: string; contentType: string } | undefined {
  const m = MEDIA_NAME_RE.exec(name);
  if (!m) return undefined;
  return { file: path.join(mediaDir(dataDir), name), contentType: CONTENT_TYPES[m[1] as keyof typeof CONTENT_TYPES] };
}

/** Writes bytes under a fresh random name and records the file. */
export async function saveMedia(
  db: Db,
  dataDir: string,
  file: { bytes: Buffer; ext: 'png' | 'jpg' | 'mp4'; width: number | null; height: number | null; uploadedBy: string | null },
  now: number,
): Promise<string> {
  const name = `${randomBytes(16).toString('hex')}.${file.ext}`;
  await fs.mkdir(mediaDir(dataDir), { recursive: true });
  // Write then rename, so a reader never sees half a file.
  const tmp = path.join(mediaDir(dataDir), `.${name}.tmp`);
  await fs.writeFile(tmp, file.bytes, { mode: 0o644 });
  await fs.rename(tmp, path.join(mediaDir(dataDir), name));
  await db.query('INSERT INTO media_files (name, content_type, bytes, width, height, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    name,
    CONTENT_TYPES[file.ext],
    file.bytes.length,
    file.width,
    file.height,
    file.uploadedBy,
    new Date(now),
  ]);
  return name;
}

/** Checks, re-encodes and stores an uploaded image. */
export async function storeImage(db: Db, dataDir: string, bytes: Buffer, uploadedBy: string | null, now: number): Promise<UploadResponse> {
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
  const name = await saveMedia(db, dataDir, { bytes: out.data, ext: kind, width: out.info.width, height: out.info.height, uploadedBy }, now);
  return {
    name,
    url: `/media/${name}`,
    contentType: kind === 'png' ? 'image/png' : 'image/jpeg',
    bytes: out.data.length,
    width: out.info.width,
    height: out.info.height,
  };
}
