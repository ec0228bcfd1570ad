/**
 * fan-out: 5,000 graphql-ws subscribers of storageVolumeChanged on one workspace, 100 events, delivery
 * latency from publish to receipt, against a raw `ws` broadcast of the same bytes to 5,000 raw clients.
 *
 * Layout: the product's server (whole stack, throwaway database) and the raw server each run in a
 * process of their own; the subscribers of both run in CLIENT_PROCESSES other processes; this process
 * only drives. Events alternate sides (raw first on odd events, GraphQL first on even ones) so drift on
 * this shared machine hits both alike, and each event is sent only after every socket got the previous
 * one. Latency is per (event, subscriber): receipt time minus the server's clock just before it
 * published (or broadcast), both process.hrtime, which is CLOCK_MONOTONIC in every process.
 * Memory per idle subscriber: each server's memory after full collections with every subscriber
 * connected and subscribed (after warm-up events), minus the same before any connected, over the count.
 * FANOUT_SUBSCRIBERS and FANOUT_EVENTS scale it down for a quick look. The figures for stock graphql-ws
 * (`useServer` from graphql-ws/use/ws) came from this script with apps/server/src/app.ts as of a18780f.
 */
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { report } from "../lib/result.js";
import { percentile } from "../lib/stats.js";
import { Peer } from "./fanout/ipc.js";
import { WARMUP_FROM } from "./fanout/shape.js";

const SUBSCRIBERS = Number(process.env["FANOUT_SUBSCRIBERS"] ?? 5_000);
const EVENTS = Number(process.env["FANOUT_EVENTS"] ?? 100);
const CLIENT_PROCESSES = 2;
const EVENT_TIMEOUT_MS = 30_000;
const TARGET_RATIO = 2.0;
const TARGET_BYTES = 25_000;

type Side = "raw" | "graphql";
type Memory = { rss: number; heapUsed: number; external: number };

const here = path.dirname(fileURLToPath(import.meta.url));
const serverDir = path.resolve(here, "../../apps/server");
const log = (message: string) => process.stderr.write(`[fanout] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const perProcess = Math.ceil(SUBSCRIBERS / CLIENT_PROCESSES) * 2;
const fdLimit = Number(spawnSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" }).stdout.trim());
if (Number.isFinite(fdLimit) && fdLimit < Math.max(SUBSCRIBERS, perProcess) + 512) {
  throw new Error(
    `ulimit -n is ${fdLimit}: each process holds up to ${Math.max(SUBSCRIBERS, perProcess)} sockets; raise it (ulimit -n 65536) and run again`,
  );
}

const peers: Peer[] = [];
function start(
  name: string,
  file: string,
  env: Record<string, string> = {},
  onNotice?: (m: Record<string, unknown>) => void,
): Promise<Peer> {
  const child = spawn(process.execPath, ["--import", "tsx", "--expose-gc", path.join(here, "fanout", file)], {
    cwd: path.resolve(here, ".."),
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, ...env },
  });
  const peer = new Peer(name, child, onNotice);
  peers.push(peer);
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${name} exited with code ${code} before it was ready`)));
    const ready = (message: Record<string, unknown>) => {
      if (message["ready"]) {
        child.off("message", ready);
        resolve(peer);
      }
    };
    child.on("message", ready);
  });
}

/** Notifications from the client processes: "every one of my sockets got event n", "all warmed up". */
const seen = new Map<string, number>();
const waiters = new Map<string, () => void>();
function onClientNotice(message: Record<string, unknown>) {
  const key = message["warm"] ? `warm:${String(message["warm"])}` : `got:${String(message["got"])}:${String(message["seq"])}`;
  const n = (seen.get(key) ?? 0) + 1;
  seen.set(key, n);
  if (n === CLIENT_PROCESSES) waiters.get(key)?.();
}
function allClients(key: string, timeoutMs: number): Promise<boolean> {
  if ((seen.get(key) ?? 0) >= CLIENT_PROCESSES) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiters.delete(key);
      resolve(false);
    }, timeoutMs);
    waiters.set(key, () => {
      clearTimeout(timer);
      waiters.delete(key);
      resolve(true);
    });
  });
}

try {
  log(
    `starting the product's server (stack on a throwaway database) and the raw server; ${SUBSCRIBERS} subscribers per side, ${EVENTS} events`,
  );
  const [graphql, raw] = await Promise.all([
    // tsx must compile the server's sources with their own tsconfig (decorators).
    start("graphql server", "graphql-server.ts", { TSX_TSCONFIG_PATH: path.join(serverDir, "tsconfig.json") }),
    start("raw server", "raw-server.ts"),
  ]);
  const info = await graphql.call<{ url: string; tokens: string[]; workspaceId: string; query: string }>("info");
  const rawUrl = (await raw.call<{ url: string }>("info")).url;
  const measured = Array.from({ length: EVENTS }, (_, i) => i + 1);
  const warmups = Array.from({ length: 20 }, (_, i) => WARMUP_FROM + i);
  const { texts } = await graphql.call<{ texts: string[] }>("messages", { seqs: [...measured, ...warmups] });
  const rawText = new Map([...measured, ...warmups].map((seq, i) => [seq, texts[i]!]));
  log(`a subscriber receives ${Buffer.byteLength(texts[0]!)} bytes per event`);

  const memoryBefore = { graphql: await graphql.call<Memory>("memory"), raw: await raw.call<Memory>("memory") };

  const clients = await Promise.all(
    Array.from({ length: CLIENT_PROCESSES }, (_, i) => start(`clients ${i + 1}`, "clients.ts", {}, onClientNotice)),
  );
  const shares = clients.map((_, i) => Math.floor(SUBSCRIBERS / CLIENT_PROCESSES) + (i < SUBSCRIBERS % CLIENT_PROCESSES ? 1 : 0));
  let started = Date.now();
  await Promise.all(clients.map((c, i) => c.call("connectRaw", { url: rawUrl, count: shares[i], events: EVENTS })));
  log(`${SUBSCRIBERS} raw clients connected in ${Date.now() - started} ms`);
  started = Date.now();
  const connected = await Promise.all(
    clients.map((c, i) =>
      c.call<{ connected: number; failures: number }>("connectGraphql", {
        url: info.url,
        tokens: info.tokens,
        query: info.query,
        variables: { workspaceId: info.workspaceId },
        count: shares[i],
        events: EVENTS,
      }),
    ),
  );
  const failures = connected.reduce((n, c) => n + c.failures, 0);
  if (failures > 0) throw new Error(`${failures} graphql-ws subscribers failed to connect or subscribe`);
  log(`${SUBSCRIBERS} graphql-ws subscribers connected in ${Date.now() - started} ms`);

  // Warm-up events until every socket of a side has received one: every subscription is then live
  // (graphql-ws acknowledges connections, not subscriptions), and both servers' code is warm.
  const send = async (side: Side, seq: number): Promise<number> =>
    side === "raw"
      ? (await raw.call<{ t0: number }>("broadcast", { text: rawText.get(seq) })).t0
      : (await graphql.call<{ t0: number }>("publish", { seq })).t0;
  for (const side of ["raw", "graphql"] as const) {
    let warm = false;
    for (const seq of warmups) {
      await send(side, seq);
      if ((warm = await allClients(`warm:${side}`, EVENT_TIMEOUT_MS))) break;
    }
    if (!warm) throw new Error(`not every ${side} subscriber received a warm-up event`);
  }
  await sleep(500);
  const memoryIdle = { graphql: await graphql.call<Memory>("memory"), raw: await raw.call<Memory>("memory") };
  const statsIdle = await graphql.call<Record<string, number>>("stats");

  log("measuring");
  const published: Record<Side, number[]> = { raw: [], graphql: [] };
  let timedOut = 0;
  for (const seq of measured) {
    for (const side of seq % 2 === 1 ? (["raw", "graphql"] as const) : (["graphql", "raw"] as const)) {
      published[side][seq - 1] = await send(side, seq);
      if (!(await allClients(`got:${side}:${seq}`, EVENT_TIMEOUT_MS))) timedOut++;
      await sleep(5);
    }
    if (seq % 20 === 0) log(`${seq}/${EVENTS} events`);
  }
  const statsAfter = await graphql.call<Record<string, number>>("stats");

  const latencies = { raw: [] as number[], graphql: [] as number[] };
  /** Per event, the first and the last socket's latency: what the server did before its first send, and how long sending took. */
  const firstLast = { raw: [] as Array<[number, number]>, graphql: [] as Array<[number, number]> };
  let missing = 0;
  for (const side of ["raw", "graphql"] as const) {
    const results = await Promise.all(clients.map((c) => c.call<{ at: number[] }>("results", { side })));
    results.forEach(({ at }, k) => {
      const count = shares[k]!;
      for (let e = 0; e < EVENTS; e++) {
        for (let s = 0; s < count; s++) {
          const t = at[e * count + s]!;
          if (t === 0) {
            missing++;
            continue;
          }
          const latency = (t - published[side][e]!) / 1e6;
          latencies[side].push(latency);
          const fl = (firstLast[side][e] ??= [Infinity, 0]);
          fl[0] = Math.min(fl[0], latency);
          fl[1] = Math.max(fl[1], latency);
        }
      }
    });
  }

  const p = (side: Side, q: number) => percentile(latencies[side], q);
  for (const side of ["raw", "graphql"] as const) {
    const first = percentile(
      firstLast[side].map((f) => f[0]),
      50,
    );
    const last = percentile(
      firstLast[side].map((f) => f[1]),
      50,
    );
    log(`${side}: per event, median first delivery ${first.toFixed(2)} ms, median last delivery ${last.toFixed(2)} ms`);
  }
  const ratio = p("graphql", 99) / p("raw", 99);
  const perSubscriber = (side: Side, what: "heap" | "rss") => {
    const [a, b] = [memoryBefore[side], memoryIdle[side]];
    const bytes = what === "rss" ? b.rss - a.rss : b.heapUsed + b.external - (a.heapUsed + a.external);
    return bytes / SUBSCRIBERS;
  };
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const graphqlBytes = Math.max(perSubscriber("graphql", "heap"), perSubscriber("graphql", "rss"));
  const met = ratio <= TARGET_RATIO && graphqlBytes <= TARGET_BYTES && missing === 0 && timedOut === 0;

  const figures = [
    { what: "graphql-ws delivery p50 / p99", value: `${p("graphql", 50).toFixed(2)} ms / ${p("graphql", 99).toFixed(2)} ms` },
    { what: "raw ws broadcast p50 / p99", value: `${p("raw", 50).toFixed(2)} ms / ${p("raw", 99).toFixed(2)} ms` },
    { what: "p99 ratio", value: `${ratio.toFixed(2)}x` },
    {
      what: "memory per idle subscriber, graphql-ws (heap+external / RSS)",
      value: `${kib(perSubscriber("graphql", "heap"))} / ${kib(perSubscriber("graphql", "rss"))}`,
    },
    {
      what: "memory per idle subscriber, raw ws (heap+external / RSS)",
      value: `${kib(perSubscriber("raw", "heap"))} / ${kib(perSubscriber("raw", "rss"))}`,
    },
    { what: "subscribers x events", value: `${SUBSCRIBERS} x ${EVENTS} per side, ${missing} deliveries missing` },
  ];
  if (statsIdle["sharedStreams"] !== undefined) {
    figures.push({
      what: "shared source streams / executions per event",
      value: `${statsIdle["sharedStreams"]} / ${((statsAfter["executions"]! - statsIdle["executions"]!) / EVENTS).toFixed(2)}`,
    });
  }
  for (const f of figures) log(`${f.what}: ${f.value}`);

  const misses = [
    ratio > TARGET_RATIO ? `p99 ratio ${ratio.toFixed(2)} > ${TARGET_RATIO}` : "",
    graphqlBytes > TARGET_BYTES ? `${kib(graphqlBytes)} per idle subscriber > 25 KB` : "",
    missing || timedOut ? `${missing} deliveries missing, ${timedOut} events timed out` : "",
  ].filter(Boolean);
  report({
    bench: "fanout",
    figures,
    target: "p99 ratio <= 2.0; memory per idle subscriber <= 25 KB (the larger of heap+external and RSS deltas)",
    met,
    note: met
      ? "latency from the server's publish to receipt in a client process; memory after GC, delta over subscribers"
      : misses.join("; "),
  });
} finally {
  // Clients first, then the servers; the product's server drops its database and unmounts the lab's
  // volumes on stop, so it is asked to stop before anything is killed.
  const ask = async (peer: Peer, cmd: string) => {
    if (peer.child.exitCode !== null) return;
    await Promise.race([peer.call(cmd).catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
  };
  await Promise.all(peers.filter((p) => p.name.startsWith("clients")).map((p) => ask(p, "close")));
  await Promise.all(peers.filter((p) => !p.name.startsWith("clients")).map((p) => ask(p, "stop")));
  for (const peer of peers) if (peer.child.exitCode === null && peer.child.pid) process.kill(peer.child.pid);
}
