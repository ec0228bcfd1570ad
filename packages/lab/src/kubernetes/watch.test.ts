import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApiServer, type KubeLab } from "./server.js";

// The watch semantics informers rely on, checked against what the apiserver does: resourceVersion "" / "0" / N,
// BOOKMARK events, 410 Expired (as an ERROR event, or as an HTTP 410 when a fault says so), timeoutSeconds.

let lab: KubeLab;
const BOOKMARK_MS = 300;

beforeAll(async () => {
  lab = await startKubeApiServer({
    name: "w",
    namespaces: ["shop"],
    nodes: [{ name: "pve1", region: "lab", zone: "pve1" }],
    controllers: false,
    bookmarkIntervalMs: BOOKMARK_MS,
  });
});
afterAll(() => lab.close());

interface WatchEvent {
  type: string;
  object: { kind?: string; apiVersion?: string; code?: number; reason?: string; metadata: Record<string, any> };
}

/** Opens a watch and collects its events until `done` says so or the stream ends; the connection is then dropped. */
async function watch(
  query: string,
  done: (events: WatchEvent[]) => boolean = () => false,
  timeoutMs = 5000,
): Promise<{ status: number; events: WatchEvent[]; ended: boolean }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const res = await fetch(`${lab.url}/api/v1/namespaces/shop/configmaps?watch=true&${query}`, {
    headers: { Authorization: `Bearer ${lab.token}` },
    signal: controller.signal,
  });
  const events: WatchEvent[] = [];
  let ended = false;
  if (res.status !== 200) {
    clearTimeout(timer);
    // The Status the apiserver answers instead of a stream.
    return { status: res.status, events: [{ type: "ERROR", object: JSON.parse(await res.text()) as WatchEvent["object"] }], ended: true };
  }
  const reader = res.body!.getReader();
  let buffer = "";
  try {
    for (;;) {
      const { value, done: finished } = await reader.read();
      if (finished) {
        ended = true;
        break;
      }
      buffer += new TextDecoder().decode(value);
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) events.push(JSON.parse(line) as WatchEvent);
      if (done(events)) break;
    }
  } catch {
    // aborted by the timer
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { status: res.status, events, ended };
}

const configMap = (name: string, data: Record<string, string> = {}) =>
  lab.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "shop" }, data } as never);

describe("watch resourceVersion semantics", () => {
  it('"" and "0" start with the objects that exist as ADDED events; N replays only the changes after N', async () => {
    configMap("one");
    const second = configMap("two");
    const rv = second.metadata.resourceVersion!;
    lab.store.modify("v1", "ConfigMap", "shop", "one", (o) => ((o as { data?: object }).data = { k: "v" }));
    for (const from of ["", "0"]) {
      const { events } = await watch(`resourceVersion=${from}`, (e) => e.length >= 2);
      expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["ADDED one", "ADDED two"]);
    }
    const { events } = await watch(`resourceVersion=${rv}`, (e) => e.length >= 1, 1500);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["MODIFIED one"]);
  });

  it("a version older than the history is an ERROR event 410 Expired on a 200 stream, which then ends", async () => {
    const old = configMap("before-compaction").metadata.resourceVersion!;
    lab.store.compact();
    configMap("after-compaction");
    const { status, events, ended } = await watch(`resourceVersion=${Number(old) - 1}`);
    expect(status).toBe(200);
    expect(ended).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } });
  });

  it("a version newer than the store's is a 504 Too large resource version", async () => {
    const { status, events } = await watch(`resourceVersion=${Number(lab.store.resourceVersion) + 100}`);
    expect(status).toBe(504);
    expect(events[0]?.object).toMatchObject({ reason: "Timeout", details: { causes: [{ reason: "ResourceVersionTooLarge" }] } });
  });
});

describe("bookmarks", () => {
  it("come every bookmark interval with allowWatchBookmarks=true, carrying only the current resourceVersion", async () => {
    const started = Date.now();
    const { events } = await watch(
      `resourceVersion=${lab.store.resourceVersion}&allowWatchBookmarks=true`,
      (e) => e.filter((x) => x.type === "BOOKMARK").length >= 2,
    );
    const marks = events.filter((e) => e.type === "BOOKMARK");
    expect(marks).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * BOOKMARK_MS - 50);
    expect(marks[0]!.object).toEqual({ kind: "ConfigMap", apiVersion: "v1", metadata: { resourceVersion: lab.store.resourceVersion } });
  });

  it("are not sent to a watch that did not ask for them", async () => {
    const { events } = await watch(`resourceVersion=${lab.store.resourceVersion}`, () => false, 3 * BOOKMARK_MS);
    expect(events).toEqual([]);
  });

  it("end a watch that times out, and resuming from one sends only what changed since", async () => {
    const { events, ended } = await watch(`resourceVersion=${lab.store.resourceVersion}&allowWatchBookmarks=true&timeoutSeconds=1`);
    expect(ended).toBe(true);
    const last = events.at(-1)!;
    expect(last.type).toBe("BOOKMARK");
    configMap("after-bookmark");
    const resumed = await watch(`resourceVersion=${last.object.metadata.resourceVersion}`, (e) => e.length >= 1, 1500);
    expect(resumed.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["ADDED after-bookmark"]);
  });

  it("sendInitialEvents=true ends the state's ADDED events with a bookmark annotated k8s.io/initial-events-end", async () => {
    const count = lab.store.list("v1", "ConfigMap", { namespace: "shop" }).length;
    const { events } = await watch("sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true", (e) =>
      e.some((x) => x.type === "BOOKMARK"),
    );
    expect(events.filter((e) => e.type === "ADDED")).toHaveLength(count);
    expect(events.at(-1)).toMatchObject({
      type: "BOOKMARK",
      object: { metadata: { annotations: { "k8s.io/initial-events-end": "true" } } },
    });
    const refused = await watch("sendInitialEvents=true&resourceVersionMatch=NotOlderThan");
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.events[0])).toContain("allowWatchBookmarks required when using sendInitialEvents");
  });
});

describe("what a test can do to a watch", () => {
  it("counts the watches among the requests, and a fault can answer watches alone with an HTTP 410", async () => {
    lab.requests.reset();
    lab.faults.add({ path: "/configmaps$", query: "watch=", action: "fail", status: 410, message: "too old resource version: 1 (99)" });
    try {
      const { status, events } = await watch("resourceVersion=1");
      expect(status).toBe(410);
      expect(events[0]?.object).toMatchObject({ code: 410, reason: "Gone" });
      const list = await fetch(`${lab.url}/api/v1/namespaces/shop/configmaps`, { headers: { Authorization: `Bearer ${lab.token}` } });
      expect(list.status).toBe(200);
    } finally {
      lab.faults.clear();
    }
    expect(lab.requests.counts()).toMatchObject({ reads: 2, watches: 1, writes: 0 });
  });

  it("endWatches drops every open watch", async () => {
    const open = watch(`resourceVersion=${lab.store.resourceVersion}`, () => false, 5000);
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    expect(lab.endWatches()).toBe(1);
    const { events } = await open;
    expect(events).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
