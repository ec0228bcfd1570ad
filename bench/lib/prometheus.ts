/** A real Prometheus (Debian's /usr/bin/prometheus) for a bench: a throwaway data folder, a free port, stopped at the end. */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort } from "./server.js";

export const PROMETHEUS_BIN = "/usr/bin/prometheus";

export interface RunningPrometheus {
  url: string;
  /** The `result` of an instant query. */
  query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  /** Polls until `ready` says yes (Prometheus needs a scrape or two before new series are queryable). */
  waitFor(what: string, ready: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrometheus(config: string): Promise<RunningPrometheus> {
  if (!existsSync(PROMETHEUS_BIN)) throw new Error(`${PROMETHEUS_BIN} is missing: apt-get install prometheus`);
  const dir = await mkdtemp(path.join(os.tmpdir(), "hks-bench-prom-"));
  await writeFile(path.join(dir, "prometheus.yml"), config);
  const port = await freePort();
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${dir}/prometheus.yml`,
      `--storage.tsdb.path=${dir}/data`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const query = async (promql: string) => {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
    if (body.status !== "success") throw new Error(`Prometheus refused ${promql}: ${body.error}`);
    return body.data.result;
  };
  const waitFor = async (what: string, ready: () => Promise<boolean>, timeoutMs = 90_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`Prometheus exited (${child.exitCode}) while waiting for ${what}: ${log}`);
      if (await ready().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; Prometheus said: ${log}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  await waitFor("Prometheus to answer", async () => (await fetch(`${url}/-/ready`)).ok);
  return {
    url,
    query,
    waitFor,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
