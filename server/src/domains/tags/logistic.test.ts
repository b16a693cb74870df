import { describe, expect, it } from 'vitest';
import { auc, fitLogistic, predictLogistic } from './logistic.js';

describe('AUC', () => {
  it('is 1 for a perfect ranking, 0.5 for ties, 0 for a reversed one', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(auc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
    expect(auc([1, 1, 1, 1], [0, 1, 0, 1])).toBe(0.5);
  });
});

describe('logistic regression', () => {
  it('recovers the sign of the true effects on a separable-ish problem', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const a = rand() * 10;
      const b = rand() * 10;
      X.push([a, b]);
      y.push(1 / (1 + Math.exp(-(a - 2 * b + 5))) > rand() ? 1 : 0);
    }
    const m = fitLogistic(['a', 'b'], X, y);
    expect(m.weights[0]).toBeGreaterThan(0);
    expect(m.weights[1]).toBeLessThan(0);
    expect(auc(X.map((x) => predictLogistic(m, x)), y)).toBeGreaterThan(0.85);
  });
});
