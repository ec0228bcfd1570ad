import { PlatformError, withTimeout } from "../errors.js";
import { parseExposition, type Sample } from "./exposition.js";

export interface MetricsSource {
  /** Every series matching the selector, at the current time. */
  instant(selector: string): Promise<Sample[]>;
  describe(): string;
}

/** Prometheus over its HTTP API: one PromQL instant query per call. */
export class PrometheusClient implements MetricsSource {
  constructor(
    private readonly url: string,
    private readonly timeoutMs = 10_000,
  ) {}

  describe(): string {
    return `Prometheus at ${this.url}`;
  }

  async instant(query: string): Promise<Sample[]> {
    const endpoint = new URL("/api/v1/query", this.url);
    endpoint.searchParams.set("query", query);
    const body = await withTimeout(
      fetch(endpoint).then(async (res) => {
        const json = (await res.json().catch(() => undefined)) as
          | {
              status: string;
              error?: string;
              data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
            }
          | undefined;
        if (!res.ok || json?.status !== "success") {
          throw new PlatformError("prometheus", `Prometheus refused the query: ${json?.error ?? `HTTP ${res.status}`}`, res.status);
        }
        return json;
      }),
      this.timeoutMs,
      "Prometheus",
      "prometheus",
    ).catch((error: unknown) => {
      if (error instanceof PlatformError) throw error;
      throw new PlatformError("prometheus", `Prometheus at ${this.url} is unreachable: ${(error as Error).message}`);
    });
    // The labels object is Prometheus's own, `__name__` left in: a copy without it would cost an object per series
    // (20,000 for 10,000 volumes) on the monitoring cycle's critical path, and nothing reads labels by enumerating them.
    return (body.data?.result ?? []).map((r) => ({ name: r.metric["__name__"] ?? "", labels: r.metric, value: Number(r.value[1]) }));
  }
}

/**
 * Without Prometheus (the embedded default), the same series straight from kubelet-style /metrics
 * endpoints; the selector is limited to `{__name__=~"a|b"}` by metric name, which is all the agents ask.
 */
export interface ScrapeTarget {
  url: string;
  /** Target labels added to every series, as Prometheus adds a scrape job's labels (e.g. `vcluster`). */
  labels?: Record<string, string>;
}

export class ScrapeClient implements MetricsSource {
  constructor(
    private readonly targets: () => ScrapeTarget[],
    private readonly timeoutMs = 10_000,
  ) {}

  describe(): string {
    return `direct scrape of ${this.targets()
      .map((t) => t.url)
      .join(", ")}`;
  }

  async instant(selector: string): Promise<Sample[]> {
    const names = new Set(/__name__=~"([^"]+)"/.exec(selector)?.[1]?.split("|") ?? [selector]);
    const pages = await Promise.all(
      this.targets().map(async (target) => {
        const text = await withTimeout(
          fetch(target.url).then((r) => r.text()),
          this.timeoutMs,
          `metrics endpoint ${target.url}`,
          "prometheus",
        ).catch((error: unknown) => {
          throw new PlatformError("prometheus", `The metrics endpoint ${target.url} is unreachable: ${(error as Error).message}`);
        });
        return parseExposition(text).map((s) => ({ ...s, labels: { ...s.labels, ...target.labels } }));
      }),
    );
    return pages.flat().filter((s) => names.has(s.name));
  }
}
