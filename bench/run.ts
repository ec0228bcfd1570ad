/**
 * Runs every bench in its own process (so one bench's heap and sockets do not colour the next),
 * prints the table and writes it to bench/results.md. `pnpm bench [name ...]` runs a subset.
 */
import { spawn } from "node:child_process";
import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readResult, type BenchResult } from "./lib/result.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const ORDER = [
  "list",
  "fanout",
  "cross-instance",
  "monitor",
  "reconcile",
  "provision",
  "web",
  "cost",
  "backtest",
  "dedup",
  "backup-time",
  "restore",
  "watch",
  "workspaces",
  "failover",
];

const available = (await readdir(path.join(here, "benches"))).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3));
const wanted = process.argv.slice(2);
const names = [...ORDER.filter((n) => available.includes(n)), ...available.filter((n) => !ORDER.includes(n)).sort()].filter(
  (n) => wanted.length === 0 || wanted.includes(n),
);

const results: BenchResult[] = [];
for (const name of names) {
  process.stderr.write(`\n== bench ${name}\n`);
  const started = Date.now();
  const { code, stdout } = await runBench(name);
  const result = readResult(stdout) ?? {
    bench: name,
    figures: [],
    target: "-",
    met: false,
    note: `the bench exited with code ${code} before reporting; its output is above`,
  };
  process.stderr.write(`== ${name}: ${result.met ? "target met" : "TARGET MISSED"} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  results.push(result);
}

const table = renderTable(results);
process.stdout.write(`\n${table}\n`);
await writeFile(path.join(here, "results.md"), `# Bench results\n\n${new Date().toISOString()}, ${process.version}\n\n${table}\n`);
process.exitCode = results.every((r) => r.met) ? 0 : 1;

function runBench(name: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    // Node's flags as the server runs with them (deploy/Dockerfile's CMD): the benches time the server's own code in process.
    const flags = ["--expose-gc", "--max-semi-space-size=32"];
    const child = spawn(process.execPath, ["--import", "tsx", ...flags, path.join(here, "benches", `${name}.ts`)], {
      cwd: here,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, NODE_ENV: "production" },
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      stdout += text;
      process.stderr.write(
        text
          .split("\n")
          .filter((l) => !l.startsWith("BENCH_RESULT "))
          .join("\n"),
      );
    });
    child.on("close", (code) => resolve({ code, stdout }));
  });
}

function renderTable(rows: BenchResult[]): string {
  const lines = ["| bench | figures | target | met |", "| --- | --- | --- | --- |"];
  for (const r of rows) {
    const figures = r.figures.map((f) => `${f.what}: **${f.value}**`).join("<br>");
    const met = r.met ? "yes" : `no${r.note ? ` (${r.note})` : ""}`;
    lines.push(`| ${r.bench} | ${figures}${r.met && r.note ? `<br>_${r.note}_` : ""} | ${r.target} | ${met} |`);
  }
  return lines.join("\n");
}
