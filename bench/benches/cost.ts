/**
 * cost: what the worst request a member can still send costs under the GraphQL limits (graphql/edge/), against
 * the dashboard's own StoragePage query, and how fast an over-limit request is refused. The worst admitted
 * request is built by the limits' own rules: as many aliased volume lists under one workspace as the cost
 * limit lets through (root fields, aliases and depth are capped separately). Memory is the server's heap growth
 * (same process) while the request runs, sampled every millisecond.
 */
import "reflect-metadata";
import { print } from "graphql";
import { startStack } from "../../apps/server/src/test/harness.js";
import { dashboardDocuments } from "../../apps/server/src/test/dashboard-documents.js";
import { DEFAULT_LIMITS } from "../../apps/server/src/graphql/edge/limits.js";
import { report } from "../lib/result.js";
import { median } from "../lib/stats.js";

const RUNS = 15;
const REFUSAL_TARGET_MS = 50;
const VOLUME_FIELDS = "id name sizeGiB status storageClassName persistentVolumeName monthlyCost usage { usedBytes capacityBytes percent }";

const stack = await startStack();
try {
  const workspaceId = await stack.workspaceId("acme");
  const member = await stack.login("dev@acme.test");
  const storagePage = print(dashboardDocuments().get("StoragePage")!);

  // Each aliased list costs 1 + its page (assumed size) x 2 objects (volume, usage); the workspace costs 1.
  const perList = 1 + DEFAULT_LIMITS.assumedListSize * 2;
  const lists = Math.min(DEFAULT_LIMITS.maxAliases, Math.floor((DEFAULT_LIMITS.maxCost - 1) / perList));
  const worst = `query Worst($w: ID!) { workspace(id: $w) { ${Array.from({ length: lists }, (_, i) => `v${i}: storageVolumes { ${VOLUME_FIELDS} }`).join(" ")} } }`;
  // Just under the 1 MB body limit (express refuses more before GraphQL sees it).
  const aliases: string[] = [];
  for (let size = 0; size < 990_000; size += aliases.at(-1)!.length + 1) aliases.push(`a${aliases.length}: workspaces { id }`);
  const refused = `query Refused { ${aliases.join(" ")} }`;
  // Under the body limit, so the parser's token limit is what refuses it.
  const underBody = `query Refused { ${aliases.slice(0, Math.floor((aliases.length * 200) / 1000)).join(" ")} }`;

  // Sampling the heap every millisecond costs time itself: refusals are timed without it.
  const measure = async (query: string, variables: Record<string, unknown>, sampleMemory = true) => {
    const times: number[] = [];
    let peak = 0;
    let errors: unknown;
    for (let i = 0; i < RUNS; i++) {
      global.gc?.();
      const base = process.memoryUsage().heapUsed;
      const sampler = sampleMemory ? setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed - base)), 1) : undefined;
      const started = performance.now();
      const result = await member.request(query, variables);
      times.push(performance.now() - started);
      clearInterval(sampler);
      errors ??= result.errors;
    }
    return { ms: median(times), mb: peak / 2 ** 20, errors };
  };

  const page = await measure(storagePage, { workspaceId });
  const heaviest = await measure(worst, { w: workspaceId });
  const refusal = await measure(refused, {}, false);
  const tokens = await measure(underBody, {}, false);
  if (page.errors || heaviest.errors) throw new Error(`an admitted request failed: ${JSON.stringify(page.errors ?? heaviest.errors)}`);
  if (!JSON.stringify(refusal.errors).includes('"body"')) throw new Error("the 1 MB request was not refused by the body limit");
  if (!JSON.stringify(tokens.errors).includes("tokens")) throw new Error("the 200 KB request was not refused by the token limit");

  report({
    bench: "cost",
    figures: [
      { what: "StoragePage (dashboard): median ms / peak heap MB", value: `${page.ms.toFixed(1)} / ${page.mb.toFixed(1)}` },
      {
        what: `worst admitted (${lists} aliased volume lists): median ms / peak heap MB`,
        value: `${heaviest.ms.toFixed(1)} / ${heaviest.mb.toFixed(1)}`,
      },
      { what: "worst vs StoragePage (time)", value: `${(heaviest.ms / page.ms).toFixed(1)}x` },
      { what: `1 MB of ${aliases.length} aliases (body limit): refused in median ms`, value: refusal.ms.toFixed(1) },
      { what: "200 KB of aliases (token limit): refused in median ms", value: tokens.ms.toFixed(1) },
    ],
    target: `over-limit refusal < ${REFUSAL_TARGET_MS} ms`,
    met: refusal.ms < REFUSAL_TARGET_MS && tokens.ms < REFUSAL_TARGET_MS,
    note: "the lab seed's workspace: few volumes, so list sizes are below the cost model's assumed 20",
  });
} finally {
  await stack.stop();
}
