import "reflect-metadata";
import { getMetadataStorage } from "type-graphql";
import { describe, expect, it } from "vitest";
import { ANONYMOUS } from "../kernel/viewer.js";
import { resolvers } from "./schema.js";

describe("root fields", () => {
  it("every query, mutation and subscription carries an @Authorized guard", () => {
    expect(resolvers.length).toBeGreaterThan(0);
    const storage = getMetadataStorage();
    const roots = [...storage.queries, ...storage.mutations, ...storage.subscriptions];
    expect(roots.length).toBeGreaterThan(5);
    const unguarded = roots
      .filter((root) => !storage.authorizedFields.some((a) => a.target === root.target && a.fieldName === root.methodName))
      .map((root) => root.schemaName);
    expect(unguarded).toEqual([]);
  });

  it("only login is reachable without signing in", () => {
    const anonymous = getMetadataStorage()
      .authorizedFields.filter((a) => a.roles.includes(ANONYMOUS))
      .map((a) => a.fieldName);
    expect(anonymous).toEqual(["login"]);
  });
});

describe("object types", () => {
  it("resolve plain properties with graphql's default resolver: no per-field wrapper on the hot path", () => {
    const storage = getMetadataStorage();
    expect(storage.objectTypes.length).toBeGreaterThan(10);
    const wrapped = storage.objectTypes.filter((t) => t.simpleResolvers !== true).map((t) => t.name);
    expect(wrapped).toEqual([]);
  });
});
