import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * Imports run one way: main/app/workers -> graphql/ -> modules/ -> platform/, db/ -> kernel/. Type-only and dynamic
 * imports count: a circle through types still ties the modules together.
 */
const root = path.dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [full] : [];
  });
}

const rel = (file: string) => path.relative(root, file).split(path.sep).join("/");
const isTest = (file: string) => /\.test\.ts$|^test\//.test(file);

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const targets = importedFiles
      .map((i) => i.fileName)
      .filter((spec) => spec.startsWith("."))
      .map((spec) => rel(path.resolve(path.dirname(file), spec.replace(/\.js$/, ".ts"))));
    graph.set(rel(file), targets);
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[][] {
  // Tarjan's strongly connected components; any component of more than one file is a circle.
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indices.get(next)!));
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

const layer = (file: string) => file.split("/")[0]!;

describe("imports", () => {
  const graph = importGraph();
  const edges = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));

  it("form no circle", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("never run from a module, platform, db or kernel file up into graphql/", () => {
    const up = edges.filter(
      ({ from, to }) => !isTest(from) && ["modules", "platform", "db", "kernel"].includes(layer(from)) && layer(to) === "graphql",
    );
    expect(up).toEqual([]);
  });

  it("leave the kernel importing nothing of the app", () => {
    expect(edges.filter(({ from, to }) => layer(from) === "kernel" && layer(to) !== "kernel")).toEqual([]);
  });

  it("keep platform/ and db/ below the modules", () => {
    const up = edges.filter(
      ({ from, to }) => ["platform", "db"].includes(layer(from)) && !isTest(from) && ["modules", "graphql"].includes(layer(to)),
    );
    expect(up).toEqual([]);
  });

  it("reach a resolver only from the schema build", () => {
    const callers = edges.filter(({ from, to }) => to.endsWith(".resolver.ts") && from !== "graphql/schema.ts");
    expect(callers).toEqual([]);
  });
});
