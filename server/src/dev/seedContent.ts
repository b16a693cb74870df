/**
 * Demo content for `npm start`: the library in demoContent.ts, authored by the demo `marketing`
 * account and reviewed by `medical` / `compliance` through the same service functions the API
 * uses, so versions, history and the audit log are real. Most items are published (on dates over
 * the past weeks), a few are scheduled in the future, a few have expired, one is in review and
 * one was rejected with a comment. Covers are small PNGs drawn from SVG (a colour per topic,
 * simple shapes) and stored through the media store; videos point at a tiny generated MP4.
 * Idempotent: an item whose title exists is left alone.
 */
import type { ContentCreateInput, Topic } from '@hcp360/shared';
import sharp from 'sharp';
import type { Principal } from '../platform/auth.js';
import type { RowDataPacket } from '../platform/db.js';
import type { Deps } from '../platform/deps.js';
import { createContent } from '../domains/content/authoring.js';
import { saveMedia, storeImage } from '../domains/content/mediaStore.js';
import { transitionContent } from '../domains/content/transitions.js';
import { findStaffByUsername } from '../domains/identity/staffRepo.js';
import { DEMO_CONTENT, type DemoItem } from './demoContent.js';
import { sampleVideo } from './sampleVideo.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

const TOPIC_COLOURS: Partial<Record<Topic, [string, string]>> = {
  hypertension: ['#c0392b', '#e67e73'],
  heart_failure: ['#8e2c48', '#d35d7f'],
  coronary_heart_disease: ['#a04000', '#e59866'],
  atrial_fibrillation: ['#7d3c98', '#bb8fce'],
  dyslipidemia: ['#b9770e', '#f5cba7'],
  diabetes: ['#1f618d', '#7fb3d5'],
  obesity: ['#117a65', '#76d7c4'],
  thyroid: ['#148f77', '#a3e4d7'],
  ckd: ['#5b2c6f', '#a569bd'],
  stroke: ['#6e2c00', '#dc7633'],
  lung_cancer: ['#1b4f72', '#5dade2'],
  breast_cancer: ['#b03a6f', '#f1948a'],
  colorectal_cancer: ['#7e5109', '#f0b27a'],
  liver_cancer: ['#0e6251', '#48c9b0'],
  copd: ['#21618c', '#85c1e9'],
  asthma: ['#2471a3', '#aed6f1'],
  osteoporosis: ['#4d5656', '#aab7b8'],
};
const coloursOf = (t: Topic): [string, string] => TOPIC_COLOURS[t] ?? ['#34495e', '#95a5a6'];

/** A 640×360 cover: the topic's gradient, a few translucent circles, a wave; a play mark on videos. */
async function coverPng(item: DemoItem, i: number): Promise<Buffer> {
  const [c1, c2] = coloursOf(item.topics[0]!);
  const circles = [0, 1, 2]
    .map((k) => {
      const cx = ((i * 97 + k * 211) % 560) + 40;
      const cy = ((i * 53 + k * 131) % 240) + 40;
      const r = 30 + ((i * 17 + k * 29) % 70);
      return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#ffffff" fill-opacity="${0.1 + k * 0.05}"/>`;
    })
    .join('');
  const h = 230 + ((i * 37) % 60);
  const play = item.type === 'video' ? '<circle cx="320" cy="180" r="44" fill="#000000" fill-opacity="0.35"/><path d="M305 155 L345 180 L305 205 Z" fill="#ffffff"/>' : '';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${c1}"/><stop offset="1" stop-color="${c2}"/></linearGradient></defs>
    <rect width="640" height="360" fill="url(#g)"/>${circles}
    <path d="M0 ${h} Q160 ${h - 50} 320 ${h} T640 ${h} V360 H0 Z" fill="#ffffff" fill-opacity="0.14"/>${play}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const li = (points: string[]) => points.map((p) => `<li>${p}</li>`).join('');

function bodyOf(item: DemoItem, cover: string): string {
  const rx = item.rxOnly ? '<p><em>本文涉及处方药相关信息，仅供医学药学专业人士参考，不作为用药推荐。</em></p>' : '';
  switch (item.kind) {
    case 'guideline':
      return `<figure><img src="${cover}" alt="${item.title}"/></figure><h2>核心要点</h2><ol>${li(item.points)}</ol>
<h2>解读</h2><p>${item.summary}</p><p>本文根据近期发布的指南与专家共识整理，供临床参考；具体诊疗请结合患者个体情况。</p>
<table><caption>推荐摘要</caption><thead><tr><th>序号</th><th>推荐内容</th></tr></thead><tbody>${item.points.map((p, k) => `<tr><td>${k + 1}</td><td>${p}</td></tr>`).join('')}</tbody></table>${rx}`;
    case 'case':
      return `<h2>病例摘要</h2><p>${item.summary}</p><h2>诊疗思路</h2><ul>${li(item.points)}</ul>
<h2>讨论</h2><p>本病例提示我们在日常诊疗中要<strong>系统评估</strong>、<strong>动态随访</strong>，并重视多学科协作。患者信息已去标识化处理。</p>${rx}`;
    case 'interview':
      return `<h2>访谈要点</h2><ul>${li(item.points)}</ul><blockquote><p>"${item.points[0]}，这是我们在临床中最常被问到的问题。"</p></blockquote>${rx}`;
    case 'review':
      return `<h2>内容概要</h2><p>${item.summary}</p><h2>要点</h2><ul>${li(item.points)}</ul><p>参考文献略，可向医学部索取。</p>${rx}`;
  }
}

type Plan = { kind: 'published'; daysAgo: number } | { kind: 'expired' } | { kind: 'scheduled'; inDays: number } | { kind: 'in_review' } | { kind: 'rejected' };

/** Where item `i` of `n` ends up in the workflow. */
function planFor(i: number, n: number): Plan {
  if (i === n - 2) return { kind: 'in_review' };
  if (i === n - 1) return { kind: 'rejected' };
  if (i % 9 === 4) return { kind: 'expired' };
  if (i % 9 === 7) return { kind: 'scheduled', inDays: 2 + (i % 5) * 3 };
  return { kind: 'published', daysAgo: 1 + ((i * 7) % 45) };
}

export async function seedDemoContent(deps: Deps, say: (msg: string) => void = () => undefined): Promise<void> {
  const [existing] = await deps.pool.query<RowDataPacket[]>('SELECT title FROM content_versions WHERE version_no = 1');
  const have = new Set(existing.map((r) => String(r.title)));
  const todo = DEMO_CONTENT.map((item, i) => ({ item, i })).filter(({ item }) => !have.has(item.title));
  if (todo.length === 0) return;

  const principal = async (username: string): Promise<Principal> => {
    const s = await findStaffByUsername(deps.pool, username);
    if (!s) throw new Error(`demo staff ${username} is missing`);
    return { kind: 'staff', id: s.id, role: s.role };
  };
  const [marketing, medical, compliance] = await Promise.all([principal('marketing'), principal('medical'), principal('compliance')]);
  const now = deps.clock();
  const at = (t: number): Deps => ({ ...deps, clock: () => t });

  say(`Seeding ${todo.length} demo content items …`);
  let video: string | undefined;
  if (todo.some(({ item }) => item.type === 'video')) {
    const name = await saveMedia(deps.pool, deps.config.dataDir, { bytes: sampleVideo(['#1f618d', '#117a65', '#c0392b', '#7d3c98']), ext: 'mp4', width: 64, height: 48, uploadedBy: marketing.id }, now);
    video = `/media/${name}`;
  }

  for (const { item, i } of todo) {
    const plan = planFor(i, DEMO_CONTENT.length);
    const reviewer = i % 2 === 0 ? medical : compliance;
    const published = plan.kind === 'published' ? now - plan.daysAgo * DAY : plan.kind === 'expired' ? now - (40 + (i % 20)) * DAY : now;
    const created = published - 3 * DAY + (i % 5) * HOUR;
    const cover = (await storeImage(deps.pool, deps.config.dataDir, await coverPng(item, i), marketing.id, created)).url;
    const input: ContentCreateInput = {
      type: item.type,
      title: item.title,
      summary: item.summary,
      cover,
      ...(item.type === 'video' ? { videoUrl: video! } : { body: bodyOf(item, cover) }),
      topics: item.topics,
      rxOnly: item.rxOnly ?? false,
      priority: item.priority ?? 50,
      segmentIds: [],
      ...(plan.kind === 'scheduled' && { publishAt: new Date(now + plan.inDays * DAY).toISOString(), expireAt: new Date(now + (plan.inDays + 180) * DAY).toISOString() }),
      ...(plan.kind === 'expired' && { expireAt: new Date(now - (3 + (i % 7)) * DAY).toISOString() }),
    };
    const { id } = await createContent(at(created), marketing, input);
    await transitionContent(at(created + 2 * HOUR), marketing, id, 'submit', undefined);
    if (plan.kind === 'in_review') continue;
    if (plan.kind === 'rejected') {
      await transitionContent(at(created + DAY), reviewer, id, 'reject', '请补充监测建议的指南出处，并核实"超声联合 AFP 提高检出率"的表述是否有文献支持。');
      continue;
    }
    await transitionContent(at(created + DAY), reviewer, id, 'approve', '医学与合规审核通过');
    await transitionContent(at(published), marketing, id, 'publish', undefined);
  }
  say(`Seeded ${todo.length} demo content items.`);
}
