/**
 * Where the Storage page's time goes (a tool, not a bench): the same server, seed and browser as the web bench,
 * then per navigation a timeline of requests (GraphQL by operation name), long tasks, and the moment the first
 * rows show; with PROFILE_CPU=1 also the main thread's self time by function (build the web app unminified for
 * names: `npx vite build --minify false --outDir /tmp/dist`, then BENCH_WEB_DIST=/tmp/dist).
 *   npx tsx benches/web/profile.ts
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { seedVolumes } from "../../lib/seed.js";
import { createDatabase, startServer, type BenchServer } from "../../lib/server.js";
import { CHROMIUM_ARGS, NAME_HELPER, signIn } from "./browser.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.env["BENCH_WEB_DIST"] ?? path.join(here, "../../../apps/web/dist"));
const VOLUMES = Number(process.env["BENCH_WEB_VOLUMES"] ?? 10_000);
const RUNS = Number(process.env["PROFILE_RUNS"] ?? 3);
const PATH = process.env["PROFILE_PATH"] ?? "/";
const log = (line: string) => process.stdout.write(`${line}\n`);

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

let database: Awaited<ReturnType<typeof createDatabase>> | undefined;
let server: BenchServer | undefined;
let browser: Browser | undefined;
try {
  database = await createDatabase();
  server = await startServer({ databaseUrl: database.url, env: { HKS_WEB_DIST: dist } });
  await seedVolumes(database.url, "acme", VOLUMES, { withUsage: true });
  browser = await chromium.launch({ executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(`${NAME_HELPER}
    window.__tasks = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__tasks.push([Math.round(e.startTime), Math.round(e.duration)]); })
      .observe({ type: "longtask", buffered: true });`);
  const page = await context.newPage();
  await signIn(page, server.url);
  for (let run = 1; run <= RUNS; run++) {
    const ops = new Map<string, string>();
    page.on("request", (r) => {
      if (r.url().endsWith("/graphql") && r.method() === "POST") {
        const body = r.postDataJSON() as { operationName?: string } | null;
        ops.set(`${r.url()}#${ops.size}`, body?.operationName ?? "?");
      }
    });
    const cdp = await context.newCDPSession(page);
    const cpu = process.env["PROFILE_CPU"] === "1";
    if (cpu) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
      await cdp.send("Profiler.start");
    }
    await page.goto(`${server.url}${PATH}`, { waitUntil: "commit" });
    const shown = (await (
      await page.waitForFunction(
        () => (document.querySelectorAll('[data-testid="volume-row"]').length > 0 ? performance.now() : false),
        undefined,
        { polling: "raf", timeout: 120_000 },
      )
    ).jsonValue()) as number;
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 300))));
    const timeline = await page.evaluate(() => {
      const entries = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      return {
        nav: [Math.round(nav.responseEnd), Math.round(nav.domContentLoadedEventEnd)],
        resources: entries.map((e) => [
          e.name.replace(location.origin, ""),
          Math.round(e.startTime),
          Math.round(e.responseStart),
          Math.round(e.responseEnd),
          e.transferSize,
        ]),
        tasks: (window as unknown as { __tasks: number[][] }).__tasks,
      };
    });
    log(`\nrun ${run}: first rows at ${Math.round(shown)} ms; document ${timeline.nav.join(" / dcl ")}`);
    const names = [...ops.values()];
    let g = 0;
    for (const [name, start, first, end, size] of timeline.resources) {
      const label = String(name).endsWith("/graphql") ? `graphql ${names[g++] ?? "?"}` : name;
      log(`  ${String(start).padStart(5)} → ${String(first).padStart(5)} → ${String(end).padStart(5)}  ${size} B  ${label}`);
    }
    log(`  long tasks [start, ms]: ${JSON.stringify(timeline.tasks)}`);
    if (cpu) {
      const { profile } = (await cdp.send("Profiler.stop")) as unknown as {
        profile: { nodes: CpuNode[]; samples: number[]; timeDeltas: number[] };
      };
      const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
      const self = new Map<string, number>();
      profile.samples.forEach((id, i) => {
        const f = byNode.get(id)!.callFrame;
        const key = `${f.functionName || "(anon)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}`;
        self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
      });
      const top = [...self].filter(([k]) => !k.startsWith("(idle)")).sort((a, b) => b[1] - a[1]);
      for (const [k, v] of top.slice(0, 25)) log(`    ${v.toFixed(1).padStart(7)} ms  ${k}`);
      // Inclusive time of React components (capitalised names), counted once per stack.
      const parent = new Map<number, number>();
      for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
      const inclusive = new Map<string, number>();
      profile.samples.forEach((id, i) => {
        const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
        const names = new Set<string>();
        for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
          const f = byNode.get(n)!.callFrame;
          if (/^[A-Z]/.test(f.functionName) || /^use[A-Z]/.test(f.functionName)) names.add(`${f.functionName} ${f.url.split("/").pop()}`);
        }
        for (const k of names) inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
      });
      log("  components and hooks, inclusive:");
      for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 30)) log(`    ${v.toFixed(1).padStart(7)} ms  ${k}`);
    }
    await cdp.detach();
    page.removeAllListeners("request");
    await page.goto("about:blank");
  }
} finally {
  await browser?.close().catch(() => undefined);
  await server?.stop().catch(() => undefined);
  await database?.drop().catch(() => undefined);
}
