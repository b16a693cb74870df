/**
 * Image uploads (POST /api/admin/uploads) and the media route (GET /media/:name): the format is
 * read from the magic bytes, images are re-encoded (metadata gone), sizes are capped, names are
 * the server's own, and nothing outside the media folder can be reached.
 */
import sharp from 'sharp';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleVideo } from '../src/dev/sampleVideo.js';
import { saveMedia } from '../src/domains/content/mediaStore.js';
import { makeStaff, type TestStaff } from './factories.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
// A media folder of this file's own, removed afterwards.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp360-media-'));
let marketing: TestStaff;
beforeAll(async () => {
  stack = await startStack({ env: { DATA_DIR: dataDir } });
  marketing = await makeStaff(stack, 'marketing');
});
afterAll(async () => {
  await stack.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function upload(bytes: Buffer, contentType: string, token = marketing.token) {
  const res = await fetch(`${stack.url}/api/admin/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: (await res.json()) as any };
}
const fetchMedia = (url: string, headers: Record<string, string> = {}) => fetch(`${stack.url}${url}`, { headers });

const SECRET = 'GPS 31.2304N 121.4737E patient-room-12';
const image = (format: 'png' | 'jpeg', size = 32) =>
  sharp({ create: { width: size, height: size, channels: 3, background: '#c0392b' } })
    .withExif({ IFD0: { ImageDescription: SECRET, Artist: 'Dr. Secret' } })
    [format]()
    .toBuffer();

describe('POST /api/admin/uploads', () => {
  it('accepts a PNG sent with a text/plain type (the magic bytes decide) and serves it back as image/png', async () => {
    const res = await upload(await image('png'), 'text/plain');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({ name: expect.stringMatching(/^[0-9a-f]{32}\.png$/), url: `/media/${res.body.name}`, contentType: 'image/png', bytes: expect.any(Number), width: 32, height: 32 });
    const served = await fetchMedia(res.body.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.length).toBe(res.body.bytes);
  });

  it('re-encodes images so their metadata is gone', async () => {
    for (const [format, type] of [['jpeg', 'image/jpeg'], ['png', 'application/octet-stream']] as const) {
      const original = await image(format);
      expect(original.includes(Buffer.from(SECRET)), 'the test image carries the metadata').toBe(true);
      const res = await upload(original, type);
      expect(res.status).toBe(201);
      const stored = Buffer.from(await (await fetchMedia(res.body.url)).arrayBuffer());
      expect(stored.includes(Buffer.from(SECRET))).toBe(false);
      expect(stored.includes(Buffer.from('Dr. Secret'))).toBe(false);
      const meta = await sharp(stored).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.format).toBe(format);
    }
  });

  it('refuses a script posing as image/jpeg with 415 UNSUPPORTED_IMAGE', async () => {
    const res = await upload(Buffer.from('<script>alert(document.cookie)</script>'), 'image/jpeg');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_IMAGE');
  });

  it('refuses bytes that start like a PNG but are not an image', async () => {
    const fake = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('<?php system($_GET["c"]); ?>')]);
    const res = await upload(fake, 'image/png');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_IMAGE');
  });

  it('refuses an empty body, a GIF and a JSON body', async () => {
    expect((await upload(Buffer.alloc(0), 'image/png')).body.error.code).toBe('UNSUPPORTED_IMAGE');
    expect((await upload(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), 'image/gif')).body.error.code).toBe('UNSUPPORTED_IMAGE');
    expect((await upload(Buffer.from('{"a":1}'), 'application/json')).body.error.code).toBe('UNSUPPORTED_IMAGE');
  });

  it('refuses more than 5 MB with 413 PAYLOAD_TOO_LARGE', async () => {
    const big = Buffer.concat([await image('png'), Buffer.alloc(5 * 1024 * 1024)]);
    const res = await upload(big, 'image/png');
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses more than 5 MB sent in chunks without a Content-Length', async () => {
    const chunk = new Uint8Array(1024 * 1024);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 6; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await fetch(`${stack.url}/api/admin/uploads`, { method: 'POST', headers: { authorization: `Bearer ${marketing.token}`, 'content-type': 'image/png' }, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('keeps the 256 KB limit on JSON routes', async () => {
    const res = await stack.http.post('/api/admin/content', { type: 'article', title: 'x', body: 'x'.repeat(300 * 1024), topics: ['asthma'], rxOnly: false }, marketing.token);
    expect(res.status).toBe(413);
  });
});

describe('GET /media/:name', () => {
  it('answers 404 for names we did not make, and never leaves the media folder', async () => {
    for (const p of [
      '/media/0123456789abcdef0123456789abcdef.png',
      '/media/..%2F..%2Fjwt-secret',
      '/media/..%2fmedia%2f0123456789abcdef0123456789abcdef.png',
      '/media/%2e%2e%2fjwt-secret',
      '/media/passwd',
      '/media/0123456789ABCDEF0123456789ABCDEF.png',
      '/media/0123456789abcdef0123456789abcdef.png.txt',
    ]) {
      const res = await fetchMedia(p);
      expect(res.status, p).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
  });

  it('serves videos as video/mp4 with byte ranges', async () => {
    const bytes = sampleVideo(['#1f618d', '#c0392b']);
    const name = await saveMedia(stack.deps.pool, stack.config.dataDir, { bytes, ext: 'mp4', width: 64, height: 48, uploadedBy: marketing.id }, stack.clock.now());
    const whole = await fetchMedia(`/media/${name}`);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer()).subarray(4, 8).toString('latin1')).toBe('ftyp');
    const part = await fetchMedia(`/media/${name}`, { range: 'bytes=0-99' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-99/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(0, 100));
    const tail = await fetchMedia(`/media/${name}`, { range: 'bytes=-10' });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(bytes.subarray(bytes.length - 10));
    const beyond = await fetchMedia(`/media/${name}`, { range: `bytes=${bytes.length + 5}-` });
    expect(beyond.status).toBe(200);
  });
});
