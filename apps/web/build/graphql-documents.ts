/**
 * Inlines each `graphql(`…`)` call of the app with its generated document, at build time.
 *
 * The codegen client preset resolves `graphql(source)` at run time through one map of every document
 * in the app (src/gql/gql.ts), so whichever chunk imports `graphql` carries all of them: every query
 * of every section in the first page. With each call replaced by its own document, a document ships
 * in the chunk of the component that uses it, and the map is tree-shaken away. Same objects as the
 * runtime lookup returns (both come from src/gql/graphql.ts); a call without a generated document
 * fails the build instead of turning into `{}` at run time.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Plugin } from "vite";

/** The source text of each `graphql()` call → its document, as JavaScript source (a JSON object). */
export type GeneratedDocuments = ReadonlyMap<string, string>;

export function readGeneratedDocuments(gqlDir: string): GeneratedDocuments {
  const byName = new Map<string, string>();
  for (const line of readFileSync(path.join(gqlDir, "graphql.ts"), "utf8").split("\n")) {
    const m = /^export const (\w+) = (\{.*\}) as unknown as DocumentNode<.*>;$/.exec(line);
    if (m) byName.set(m[1]!, m[2]!);
  }
  const gql = readFileSync(path.join(gqlDir, "gql.ts"), "utf8");
  const start = gql.indexOf("const documents");
  const end = gql.indexOf("\n};", start);
  if (start < 0 || end < 0) throw new Error(`${gqlDir}/gql.ts has no documents map: has the codegen preset changed?`);
  const documents = new Map<string, string>();
  for (const line of gql.slice(start, end).split("\n")) {
    const m = /^\s*("(?:[^"\\]|\\.)*"): types\.(\w+),?$/.exec(line);
    if (!m) continue;
    const document = byName.get(m[2]!);
    if (!document) throw new Error(`${gqlDir}/graphql.ts has no ${m[2]}`);
    documents.set(JSON.parse(m[1]!) as string, document);
  }
  if (documents.size === 0) throw new Error(`no documents found in ${gqlDir}/gql.ts`);
  return documents;
}

// A template without substitutions (`${`) or escapes: its text is the string codegen keyed it by.
const CALL = /\bgraphql\(\s*`((?:[^`\\$]|\$(?!\{))*)`\s*\)/g;

/** `code` with every `graphql(`…`)` call replaced by its document; null when it has none. */
export function inlineGraphqlDocuments(code: string, documents: GeneratedDocuments, file: string): string | null {
  if (!code.includes("graphql(")) return null;
  let replaced = false;
  const out = code.replace(CALL, (_call, source: string) => {
    const document = documents.get(source);
    if (!document) {
      const first = source.trim().split("\n")[0];
      throw new Error(`${file}: graphql(\`${first} …\`) has no generated document; run the codegen (pnpm --filter @hks/web codegen)`);
    }
    replaced = true;
    return `(${document})`;
  });
  return replaced ? out : null;
}

/** The Vite plugin: production builds only (dev and tests keep the runtime lookup). */
export function graphqlDocuments(options: { gqlDir: string }): Plugin {
  let documents: GeneratedDocuments | undefined;
  const gqlDir = path.resolve(options.gqlDir);
  return {
    name: "hks:graphql-documents",
    apply: "build",
    enforce: "pre",
    buildStart() {
      documents = readGeneratedDocuments(gqlDir);
    },
    transform(code, id) {
      const file = id.split("?")[0]!;
      if (!/\.[cm]?tsx?$/.test(file) || file.includes("/node_modules/") || file.startsWith(gqlDir + path.sep)) return null;
      const out = inlineGraphqlDocuments(code, documents!, file);
      return out === null ? null : { code: out, map: null };
    },
  };
}
