/** Time is injected wherever behaviour depends on it, so windows and expiry are testable without sleeping. */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();
