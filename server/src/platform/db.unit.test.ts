/** againOnDeadlock: a deadlock victim is run again, a bounded number of times; other errors are not. */
import { describe, expect, it, vi } from 'vitest';
import { againOnDeadlock } from './db.js';

const deadlock = () => Object.assign(new Error('Deadlock found when trying to get lock; try restarting transaction'), { code: 'ER_LOCK_DEADLOCK' });

describe('againOnDeadlock', () => {
  it('runs the work again after a deadlock and returns what it then gives', async () => {
    const work = vi.fn().mockRejectedValueOnce(deadlock()).mockRejectedValueOnce(deadlock()).mockResolvedValue('claimed');
    await expect(againOnDeadlock(work)).resolves.toBe('claimed');
    expect(work).toHaveBeenCalledTimes(3);
  });

  it('gives up after the last attempt with the deadlock', async () => {
    const work = vi.fn().mockRejectedValue(deadlock());
    await expect(againOnDeadlock(work, 3)).rejects.toMatchObject({ code: 'ER_LOCK_DEADLOCK' });
    expect(work).toHaveBeenCalledTimes(3);
  });

  it('passes any other error on at once', async () => {
    const work = vi.fn().mockRejectedValue(Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY' }));
    await expect(againOnDeadlock(work)).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
    expect(work).toHaveBeenCalledTimes(1);
  });
});
