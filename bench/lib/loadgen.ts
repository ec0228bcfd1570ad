/**
 * A load generator in a process of its own (so its CPU is not the server's): sends the given requests
 * one after another, interleaved round by round so drift on a shared machine hits every target alike,
 * and prints each target's latencies (ms) as JSON. Run: node --import tsx loadgen.ts '<json config>'.
 */
import http from "node:http";

export interface LoadTarget {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadConfig {
  targets: LoadTarget[];
  warmup: number;
  rounds: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function send(target: LoadTarget): Promise<{ ms: number; bytes: number; status: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      target.url,
      { method: "POST", agent, headers: { "content-type": "application/json", ...target.headers } },
      (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => (bytes += chunk.length));
        res.on("end", () => resolve({ ms: performance.now() - started, bytes, status: res.statusCode ?? 0 }));
      },
    );
    req.on("error", reject);
    req.end(target.body);
  });
}

if (process.argv[2]) {
  const config = JSON.parse(process.argv[2]) as LoadConfig;
  const latencies: Record<string, number[]> = Object.fromEntries(config.targets.map((t) => [t.name, []]));
  const bytes: Record<string, number> = {};
  for (let round = 0; round < config.warmup + config.rounds; round++) {
    for (const target of config.targets) {
      const result = await send(target);
      if (result.status !== 200) throw new Error(`${target.name} answered ${result.status}`);
      bytes[target.name] = result.bytes;
      if (round >= config.warmup) latencies[target.name]!.push(result.ms);
    }
  }
  process.stdout.write(JSON.stringify({ latencies, bytes }));
  agent.destroy();
}
