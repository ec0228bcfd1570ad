import { describe, expect, it } from "vitest";
import { KubeStore, type StoreEvent } from "./store.js";
import { fieldsOf, jsonPatch, mergePatch, serverSideApply, strategicMergePatch } from "./patch.js";
import { matchesLabels, parseLabelSelector } from "./selectors.js";
import type { KubeObject } from "./types.js";

describe("patches", () => {
  it("merge patch follows RFC 7386", () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { b: { c: null, e: 4 }, l: [3] })).toEqual({
      a: 1,
      b: { d: 3, e: 4 },
      l: [3],
    });
  });

  it("strategic merge patch merges named lists and honours directives", () => {
    const pod = {
      spec: {
        containers: [
          { name: "a", image: "1" },
          { name: "b", image: "2" },
        ],
        finalizers: ["x"],
      },
    };
    expect(
      strategicMergePatch(pod, {
        spec: {
          containers: [
            { name: "b", image: "3" },
            { name: "c", image: "4" },
          ],
        },
      }),
    ).toEqual({
      spec: {
        containers: [
          { name: "a", image: "1" },
          { name: "b", image: "3" },
          { name: "c", image: "4" },
        ],
        finalizers: ["x"],
      },
    });
    expect(strategicMergePatch(pod, { spec: { containers: [{ name: "a", $patch: "delete" }], finalizers: ["y"] } })).toEqual({
      spec: { containers: [{ name: "b", image: "2" }], finalizers: ["x", "y"] },
    });
    expect(
      strategicMergePatch(pod, {
        spec: { "$setElementOrder/containers": [{ name: "b" }, { name: "a" }], containers: [{ name: "a", image: "9" }] },
      }),
    ).toEqual({
      spec: {
        containers: [
          { name: "b", image: "2" },
          { name: "a", image: "9" },
        ],
        finalizers: ["x"],
      },
    });
  });

  it("json patch supports the RFC 6902 operations", () => {
    const doc = { a: { b: [1, 2] }, c: "x" };
    expect(
      jsonPatch(doc, [
        { op: "add", path: "/a/b/-", value: 3 },
        { op: "replace", path: "/c", value: "y" },
        { op: "copy", from: "/c", path: "/d" },
        { op: "move", from: "/d", path: "/e" },
        { op: "remove", path: "/a/b/0" },
        { op: "test", path: "/e", value: "y" },
      ]),
    ).toEqual({ a: { b: [2, 3] }, c: "y", e: "y" });
    expect(() => jsonPatch(doc, [{ op: "test", path: "/c", value: "nope" }])).toThrow(/test failed/);
    expect(() => jsonPatch(doc, [{ op: "remove", path: "/zzz" }])).toThrow();
  });

  it("server-side apply tracks fields per manager", () => {
    const applied: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "x", labels: { a: "1", b: "2" } },
      spec: { s: 1 },
    };
    expect(fieldsOf(applied)).toEqual({ "f:metadata": { "f:labels": { "f:a": {}, "f:b": {} } }, "f:spec": { "f:s": {} } });
    const first = serverSideApply(undefined, applied, "m1");
    const withOther = serverSideApply(first, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", labels: { c: "3" } } }, "m2");
    const second = serverSideApply(withOther, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", labels: { a: "1" } } }, "m1");
    expect(second.metadata.labels).toEqual({ a: "1", c: "3" });
    expect(second.spec).toBeUndefined();
    expect(second.metadata.managedFields?.map((m) => m.manager).sort()).toEqual(["m1", "m2"]);
  });
});

describe("selectors", () => {
  it("parses set-based and equality selectors", () => {
    const labels = { app: "db", tier: "gold" };
    expect(matchesLabels(labels, parseLabelSelector("app=db,tier in (gold, silver)"))).toBe(true);
    expect(matchesLabels(labels, parseLabelSelector("app==db,tier notin (gold)"))).toBe(false);
    expect(matchesLabels(labels, parseLabelSelector("app,!missing"))).toBe(true);
    expect(matchesLabels(labels, parseLabelSelector("app!=db"))).toBe(false);
  });
});

describe("store (in-process API)", () => {
  it("creates, updates and deletes with events and the apiserver's rules", () => {
    const store = new KubeStore();
    const events: string[] = [];
    store.subscribe((e: StoreEvent) => events.push(`${e.type} ${e.object.kind} ${e.object.metadata.name}`));
    store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" } });
    const job = store.create({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "j", namespace: "apps" },
      spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "i" }] } } },
    });
    expect(job.metadata.generation).toBe(1);
    const done = store.modify("batch/v1", "Job", "apps", "j", (o) => (o.status = { succeeded: 1 }));
    expect(done.metadata.generation).toBe(1);
    expect(Number(done.metadata.resourceVersion)).toBeGreaterThan(Number(job.metadata.resourceVersion));
    // Unchanged writes keep the resourceVersion.
    expect(store.update(done).metadata.resourceVersion).toBe(done.metadata.resourceVersion);
    expect(() => store.update({ ...done, metadata: { ...done.metadata, resourceVersion: "1" } })).toThrow(/the object has been modified/);
    store.delete("v1", "Namespace", undefined, "apps");
    expect(store.list("batch/v1", "Job")).toEqual([]);
    expect(events).toEqual(["ADDED Namespace apps", "ADDED Job j", "MODIFIED Job j", "DELETED Job j", "DELETED Namespace apps"]);
  });
});
