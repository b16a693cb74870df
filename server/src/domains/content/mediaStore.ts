/**
 * The media store: images for covers and bodies in <DATA_DIR>/media, under random names the
 * server makes. Following OWASP ASVS (file upload): the format is read from the magic bytes,
 * never from the declared type or a file name; images are decoded and re-encoded with sharp,
 * which drops every metadata block (EXIF with GPS, XMP, text chunks) and anything appended
 * after the image data; sizes are bounded (bytes here, pixels at decode).
 */
import path from 'node:path';
import { MEDIA_NAME_RE, type UploadResponse } from '@hcp360/shared';
import type { Db } from '../../platform/db.js';
import { randomFileName, reencodeImage, writeFileAtomically } from '../../platform/imageUpload.js';

// The checks and re-encoding live in platform/imageUpload.ts (case images use them too).
export { sniffImage, type ImageKind } from '../../platform/imageUpload.js';
export const CONTENT_TYPES: Record<'png' | 'jpg' | 'mp4', string> = { png: 'image/png', jpg: 'image/jpeg', mp4: 'video/mp4' };

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
  const name = randomFileName(file.ext);
  await writeFileAtomically(mediaDir(dataDir), name, file.bytes);
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
  const img = await reencodeImage(bytes);
  const name = await saveMedia(db, dataDir, { bytes: img.data, ext: img.kind, width: img.width, height: img.height, uploadedBy }, now);
  return {
    name,
    url: `/media/${name}`,
    contentType: img.kind === 'png' ? 'image/png' : 'image/jpeg',
    bytes: img.data.length,
    width: img.width,
    height: img.height,
  };
}
