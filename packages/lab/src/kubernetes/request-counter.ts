export interface RequestCounts {
  /** GET and HEAD, watches included. */
  reads: number;
  /** POST, PUT, PATCH and DELETE. */
  writes: number;
  byMethod: Record<string, number>;
  /** The GETs that opened a watch (also counted in `reads`): what an informer costs once it is connected. */
  watches: number;
}

/** Counts API requests by method; `counts()` is a copy, `reset()` starts from zero. */
export class RequestCounter {
  private byMethod: Record<string, number> = {};
  private watches = 0;

  record(method: string, watch = false): void {
    this.byMethod[method] = (this.byMethod[method] ?? 0) + 1;
    if (watch) this.watches++;
  }

  counts(): RequestCounts {
    const byMethod = { ...this.byMethod };
    const sum = (methods: string[]) => methods.reduce((n, m) => n + (byMethod[m] ?? 0), 0);
    return { reads: sum(["GET", "HEAD"]), writes: sum(["POST", "PUT", "PATCH", "DELETE"]), byMethod, watches: this.watches };
  }

  reset(): void {
    this.byMethod = {};
    this.watches = 0;
  }
}
