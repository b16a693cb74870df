/**
 * Exploration and cold start: one slot in five goes to what similar doctors read (same department
 * and title band), the cluster widens to the department and then to everyone when it has too
 * little signal (放大聚类), and a doctor with no events starts from the cluster's popular items,
 * then everyone's, then fresh and editor-picked ones. Popularity covers the last 30 days.
 */
import type { FeedPreviewResponse, Title } from '@hcp360/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDoctor, makeStaff, type TestDoctor, type TestStaff } from './factories.js';
import { feed, ids, publisher, read, settleAll, type Publisher } from './feedSupport.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
let pub: Publisher;
let admin: TestStaff;
/** Read by three 心血管内科 主治医师 / 住院医师 (junior band). */
const cardioJunior: string[] = [];
/** Read by three 心血管内科 主任医师 (senior band). */
const cardioSenior: string[] = [];
/** Read by three 神经内科 住院医师. */
const neuro: string[] = [];
/** Read by only two 肾内科 主治医师: too little signal for any cluster of theirs. */
const renal: string[] = [];
const hypertension: string[] = [];
const filler: string[] = [];
let fan: TestDoctor;

async function group(department: string, titles: Title[], items: string[]): Promise<void> {
  for (const title of titles) {
    const d = await makeDoctor(stack, { profile: { department: department as never, title } });
    await read(stack, d, items, { dwellMs: 30_000, depth: 0.5 });
  }
}

beforeAll(async () => {
  stack = await startStack();
  pub = await publisher(stack);
  admin = await makeStaff(stack, 'admin');
  const make = async (list: string[], topics: string[], priority = 30) => {
    for (const t of topics) list.push(await pub.publish({ title: `${t} 专题`, topics: [t], priority }));
  };
  await make(cardioJunior, ['copd', 'asthma', 'lung_cancer']);
  await make(cardioSenior, ['diabetes', 'thyroid', 'obesity']);
  await make(neuro, ['stroke', 'alzheimers', 'depression']);
  await make(renal, ['ckd', 'hepatitis_b', 'gastric_cancer']);
  await make(hypertension, ['hypertension', 'hypertension', 'hypertension', 'hypertension'], 40);
  await make(filler, ['osteoporosis', 'breast_cancer', 'liver_cancer'], 50);
  await make(filler, ['rheumatoid_arthritis'], 90);

  await group('心血管内科', ['主治医师', '住院医师', '主治医师'], cardioJunior);
  await group('心血管内科', ['主任医师', '主任医师', '副主任医师'], cardioSenior);
  await group('神经内科', ['住院医师', '住院医师', '主治医师'], neuro);
  await group('肾内科', ['主治医师', '主治医师'], renal);
  fan = await makeDoctor(stack, { profile: { department: '心血管内科', title: '主治医师' } });
  await read(stack, fan, hypertension.slice(0, 2));
  await settleAll(stack);
});
afterAll(() => stack.close());

const preview = async (d: TestDoctor): Promise<FeedPreviewResponse> => {
  const res = await stack.http.get(`/api/admin/hcps/${d.id}/feed-preview?limit=50`, admin.token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

describe('exploration slots', () => {
  it('give every fifth slot to what the same department and title band read, with 同科室医生都在看', async () => {
    const items = (await feed(stack, fan, 'limit=10')).items;
    expect(ids(items.slice(0, 2)).every((id) => hypertension.includes(id))).toBe(true);
    for (const slot of [4, 9]) {
      expect(cardioJunior).toContain(items[slot]!.id);
      expect(items[slot]).toMatchObject({ reason: '同科室医生都在看', reasonKind: 'cluster' });
    }
    expect(items.filter((i) => i.reasonKind === 'cluster')).toHaveLength(2);

    const p = await preview(fan);
    expect(p.coldStart).toBe(false);
    // the three readers, and the fan themself
    expect(p.cluster).toMatchObject({ level: 'department_title', key: 'dt:心血管内科|junior', activeDoctors: 4 });
    expect(p.items[4]).toMatchObject({ slot: 'exploration', score: { exploration: 1 } });
    expect(p.items[0]!.slot).toBe('ranked');
  });

  it('widen to the department when the title band has no signal (放大聚类)', async () => {
    const senior = await makeDoctor(stack, { profile: { department: '神经内科', title: '主任医师' } });
    const p = await preview(senior);
    expect(p.cluster).toMatchObject({ level: 'department', key: 'd:神经内科', activeDoctors: 3 });
    expect(neuro).toContain(p.items[0]!.id);
    expect(p.items[0]!.reason).toBe('同科室医生都在看');
  });

  it('widen to everyone when the department has fewer than three active doctors', async () => {
    const renalDoctor = await makeDoctor(stack, { profile: { department: '肾内科', title: '主治医师' } });
    const p = await preview(renalDoctor);
    expect(p.cluster).toMatchObject({ level: 'everyone', key: 'all' });
    expect(p.cluster.activeDoctors).toBeGreaterThanOrEqual(12);
    expect(p.items[0]).toMatchObject({ reason: '同行都在看', reasonKind: 'peers', slot: 'exploration' });
  });
});

describe('cold start', () => {
  it("serves the cluster's popular items, then everyone's, then fresh and editor-picked ones", async () => {
    const newcomer = await makeDoctor(stack, { profile: { department: '心血管内科', title: '住院医师' } });
    const items = (await feed(stack, newcomer, 'limit=50')).items;
    // the cluster: what the three readers read most, then what the fan read
    expect(new Set(ids(items.slice(0, 3)))).toEqual(new Set(cardioJunior));
    expect(new Set(ids(items.slice(3, 5)))).toEqual(new Set(hypertension.slice(0, 2)));
    expect(items.slice(0, 5).every((i) => i.reason === '同科室医生都在看')).toBe(true);
    const everyones = [...cardioSenior, ...neuro, ...renal];
    expect(new Set(ids(items.slice(5, 14)))).toEqual(new Set(everyones));
    expect(items.slice(5, 14).every((i) => i.reason === '同行都在看')).toBe(true);
    expect(items[14]).toMatchObject({ id: filler[3], reason: '编辑推荐' });
    expect(ids(items.slice(15)).sort()).toEqual([...filler.slice(0, 3), ...hypertension.slice(2)].sort());
    expect(items.slice(15).every((i) => i.reason === '新上线')).toBe(true);
    expect((await preview(newcomer)).coldStart).toBe(true);
  });
});

describe('the popularity window', () => {
  it('forgets reading older than 30 days', async () => {
    stack.clock.advance(31 * 86_400_000);
    admin = await makeStaff(stack, 'admin'); // the old token expired with the jump
    await settleAll(stack);
    const p = await preview(fan);
    expect(p.cluster).toMatchObject({ level: 'everyone', activeDoctors: 0 });
    expect(p.items.every((i) => i.slot === 'ranked')).toBe(true);
  });
});
