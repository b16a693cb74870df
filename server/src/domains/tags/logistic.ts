/**
 * Logistic regression (batch gradient descent with L2, standardised features) and ROC AUC, for
 * the engine's predictive tags. Small on purpose: a handful of features, tens of thousands of
 * rows, trained in a scheduled job; every coefficient is inspectable in the model summary.
 */
export interface LogisticModel {
  features: string[];
  mean: number[];
  std: number[];
  weights: number[];
  bias: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function fitLogistic(features: string[], X: number[][], y: number[], opts: { iterations?: number; rate?: number; l2?: number } = {}): LogisticModel {
  const n = X.length;
  const d = features.length;
  const mean = Array.from({ length: d }, (_, j) => X.reduce((s, r) => s + r[j]!, 0) / Math.max(1, n));
  const std = Array.from({ length: d }, (_, j) => Math.sqrt(X.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / Math.max(1, n)) || 1);
  const Z = X.map((r) => r.map((v, j) => (v - mean[j]!) / std[j]!));
  const w = new Array<number>(d).fill(0);
  const positives = y.reduce((a, b) => a + b, 0);
  let b = Math.log((positives + 1) / (n - positives + 1));
  const { iterations = 400, rate = 0.5, l2 = 1e-3 } = opts;
  for (let it = 0; it < iterations; it++) {
    const gw = new Array<number>(d).fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const zi = Z[i]!;
      let s = b;
      for (let j = 0; j < d; j++) s += w[j]! * zi[j]!;
      const err = sigmoid(s) - y[i]!;
      gb += err;
      for (let j = 0; j < d; j++) gw[j]! += err * zi[j]!;
    }
    for (let j = 0; j < d; j++) w[j]! -= rate * (gw[j]! / n + l2 * w[j]!);
    b -= rate * (gb / n);
  }
  return { features, mean, std, weights: w, bias: b };
}

export function predictLogistic(m: LogisticModel, x: number[]): number {
  let s = m.bias;
  for (let j = 0; j < m.weights.length; j++) s += m.weights[j]! * ((x[j]! - m.mean[j]!) / m.std[j]!);
  return sigmoid(s);
}

/** Area under the ROC curve (ties count half), by ranking. */
export function auc(scores: number[], labels: number[]): number {
  const idx = scores.map((s, i) => [s, labels[i]!] as const).sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j < idx.length && idx[j]![0] === idx[i]![0]) j++;
    const avgRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (idx[k]![1] === 1) (rankSum += avgRank, positives++);
    i = j;
  }
  const negatives = idx.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
