/**
 * A simulated clock for the HTTP layer (src/http/clock.ts) that still lets real requests go over
 * the wire: time stands still while a request is on the wire (the fetch it hands out counts
 * them, and reads each body whole before it answers), and moves to the next timer only when
 * nothing else is going on. The simulated latency is slept on this clock around each request.
 * So the real transport, budget and retries run minutes of traffic in seconds, the same way on
 * every run, against a real HTTP server on 127.0.0.1.
 */
import { Agent, request } from "node:http";
import type { Clock } from "../../../src/http/clock.js";

/** Kept-alive connections: the wire is real, but cheap enough for thousands of requests a test. */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One request over node:http (lighter than fetch for a test's thousands), answered as a fetch Response. */
function wire(input: Parameters<typeof fetch>[0], init: RequestInit = {}): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : String(input));
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? "GET", headers: init.headers as Record<string, string>, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") headers.set(k, v);
        const status = res.statusCode ?? 0;
        resolve(new Response(status === 204 ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? "", headers }));
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(typeof init.body === "string" ? init.body : undefined);
  });
}

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers: Timer[] = [];
  private onWire = 0;
  private wireIdle: (() => void) | undefined;
  /** When the simulated CPU is next free (`fetch`'s `cpuMs`). */
  private cpuFree = 0;

  constructor(start = 0) {
    this.t = start;
  }

  readonly now = (): number => this.t;

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve });
    });

  /** Attempts never time out here: the wire takes no simulated time (time limits are tested on the system clock). */
  readonly timeout = (): AbortSignal => new AbortController().signal;

  /** Milliseconds since the clock started. */
  elapsed(start = 0): number {
    return this.t - start;
  }

  /**
   * A fetch over the real wire that takes `latencyMs` of simulated time (half each way). With
   * `cpu` (ms, or a function giving each answer's), each answer then takes that much of one CPU
   * that all answers share, one after another, before the caller sees it: on the wall clock the
   * engine parses and checks every answer on its one thread (issue 27: 1.5 ms a call on
   * average, 3 ms over its first thousand), so answers that come together are taken up one by
   * one and the next requests leave later, unevenly.
   */
  fetch(latencyMs: number, cpu: number | (() => number) = 0): typeof fetch {
    return async (input, init) => {
      await this.sleep(latencyMs / 2);
      this.onWire++;
      let answer: Response;
      try {
        answer = await wire(input, init);
      } finally {
        if (--this.onWire === 0) this.wireIdle?.();
      }
      await this.sleep(latencyMs / 2);
      const cpuMs = typeof cpu === "number" ? cpu : cpu();
      if (cpuMs > 0) {
        this.cpuFree = Math.max(this.t, this.cpuFree) + cpuMs;
        await this.sleep(this.cpuFree - this.t);
      }
      return answer;
    };
  }

  /** Runs timers in time order until `work` settles. */
  async run<T>(work: Promise<T>): Promise<T> {
    let finished = false;
    const result = work.finally(() => {
      finished = true;
    });
    // Seen as settled by the loop; the caller still gets the rejection from `result`.
    result.catch(() => undefined);
    while (!finished) {
      await this.settle();
      if (finished) break;
      const next = this.pop();
      if (!next) throw new Error("simulation stalled: nothing scheduled and the work is not done");
      this.t = Math.max(this.t, next.at);
      next.resolve();
      // Every timer due at the same moment goes at once, in the order they were set.
      while (this.timers[0] && this.timers[0].at <= this.t) this.pop()?.resolve();
    }
    return result;
  }

  /** Until nothing is on the wire and the callbacks it set off have run. */
  private async settle(): Promise<void> {
    for (let quiet = 0; quiet < 2;) {
      await new Promise((r) => setImmediate(r));
      if (this.onWire === 0) {
        quiet++;
        continue;
      }
      quiet = 0;
      await new Promise<void>((r) => (this.wireIdle = r));
      this.wireIdle = undefined;
    }
  }

  /** A binary heap by (at, seq). */
  private push(timer: Timer): void {
    const h = this.timers;
    h.push(timer);
    for (let i = h.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private pop(): Timer | undefined {
    const h = this.timers;
    const top = h[0];
    const last = h.pop();
    if (h.length === 0 || !last) return top;
    h[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l], h[m])) m = l;
      if (r < h.length && before(h[r], h[m])) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
    return top;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
