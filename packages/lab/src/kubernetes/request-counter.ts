export interface RequestCounts {
  /** GET and HEAD, watches included. */
  reads: number;
  /** POST, PUT, PATCH and DELETE. */
  writes: number;
  byMethod: Record<string, number>;
}

/** Counts API requests by method; `counts()` is a copy, `reset()` starts from zero. */
export class RequestCounter {
  private byMethod: Record<string, number> = {};

  record(method: string): void {
    this.byMethod[method] = (this.byMethod[method] ?? 0) + 1;
  }

  counts(): RequestCounts {
    const byMethod = { ...this.byMethod };
    const sum = (methods: string[]) => methods.reduce((n, m) => n + (byMethod[m] ?? 0), 0);
    return { reads: sum(["GET", "HEAD"]), writes: sum(["POST", "PUT", "PATCH", "DELETE"]), byMethod };
  }

  reset(): void {
    this.byMethod = {};
  }
}
