import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { graphql } from "../src/gql";
import { inlineGraphqlDocuments, readGeneratedDocuments } from "./graphql-documents";

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src");
const documents = readGeneratedDocuments(path.join(src, "gql"));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "gql" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

describe("inlined GraphQL documents", () => {
  it("inline every graphql() call of the app with the document the runtime lookup returns", () => {
    let calls = 0;
    for (const file of sourceFiles(src)) {
      const code = readFileSync(file, "utf8");
      const out = inlineGraphqlDocuments(code, documents, file);
      if (out === null) continue;
      expect(out, file).not.toMatch(/\bgraphql\(\s*`/);
      for (const [, source] of code.matchAll(/\bgraphql\(\s*`([^`]*)`\s*\)/g)) {
        calls++;
        const runtime = (graphql as (s: string) => unknown)(source!);
        expect(runtime, `${file}: ${source!.trim().split("\n")[0]}`).not.toEqual({});
        expect(JSON.parse(documents.get(source!)!)).toEqual(runtime);
      }
    }
    expect(calls).toBeGreaterThan(20);
  });

  it("fail the build on a call that the codegen has not seen", () => {
    const code = "export const Q = graphql(`\n  query NotGenerated { me { id } }\n`);";
    expect(() => inlineGraphqlDocuments(code, documents, "x.ts")).toThrow(/query NotGenerated .*run the codegen/);
  });
});
