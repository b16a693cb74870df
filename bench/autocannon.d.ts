// autocannon ships no types; this covers the part the benchmarks use.
declare module 'autocannon' {
  interface Request {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    setupRequest?: (req: Request, context: Record<string, unknown>) => Request;
  }
  interface Histogram {
    average: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
  }
  interface Result {
    requests: Histogram;
    latency: Histogram;
    throughput: Histogram;
    non2xx: number;
    errors: number;
    timeouts: number;
  }
  /** The running job: awaitable for the result; 'response' gives each response's time in ms (not rounded, unlike `latency`). */
  interface Instance extends PromiseLike<Result> {
    on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): Instance;
  }
  function autocannon(opts: { url: string; connections?: number; duration?: number; amount?: number; overallRate?: number; requests?: Request[]; headers?: Record<string, string>; method?: string; body?: string }): Instance;
  export default autocannon;
}
