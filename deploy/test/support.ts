import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as k8s from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";

export const deployDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = path.resolve(deployDir, "..");
export const manifestsDir = path.join(deployDir, "kubernetes");

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface ManifestFile {
  file: string;
  documents: Manifest[];
}

/** Every YAML file under deploy/kubernetes, each parsed into its documents (a YAML error fails the load). */
export function loadManifestFiles(): ManifestFile[] {
  return readdirSync(manifestsDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((file) => {
      const docs = parseAllDocuments(readFileSync(path.join(manifestsDir, file), "utf8"));
      for (const doc of docs) if (doc.errors.length) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
      return { file, documents: docs.map((d) => d.toJS() as Manifest).filter(Boolean) };
    });
}

export function kubernetesObjects(): Array<Manifest & { file: string }> {
  return loadManifestFiles()
    .flatMap(({ file, documents }) => documents.map((d) => ({ ...d, file })))
    .filter((d) => d.kind !== "Kustomization");
}

export function one<T = Manifest>(kind: string): T & Manifest {
  const found = kubernetesObjects().filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  const { file: _file, ...manifest } = found[0]!;
  return manifest as unknown as T & Manifest;
}

type AttributeMap = Array<{ name: string; baseName: string; type: string }>;
const models = k8s as unknown as Record<string, { getAttributeTypeMap?: () => AttributeMap } | undefined>;

/**
 * Fields the Kubernetes API does not know, as `kubectl apply --validate=strict` would refuse them. The JSON
 * schemas of kubernetes-models check types and required fields but allow unknown properties, where a typo
 * (`readinesProbe`) would be dropped silently by the API server; the client library's type maps know every field.
 */
export function unknownFields(value: unknown, type: string, at: string): string[] {
  if (value === null || value === undefined) return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return Array.isArray(value) ? value.flatMap((v, i) => unknownFields(v, array[1]!, `${at}[${i}]`)) : [`${at}: expected a list`];
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return Object.entries(value as object).flatMap(([k, v]) => unknownFields(v, map[1]!, `${at}.${k}`));
  const attributes = models[type]?.getAttributeTypeMap?.();
  if (!attributes) return [];
  if (typeof value !== "object" || Array.isArray(value)) return [`${at}: expected an object (${type})`];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
    const attribute = attributes.find((a) => a.baseName === key);
    return attribute ? unknownFields(v, attribute.type, `${at}.${key}`) : [`${at}.${key}`];
  });
}

/** The client library's model for a manifest: V1Deployment for apps/v1 Deployment, V1PodDisruptionBudget for policy/v1, ... */
export function modelType(manifest: Manifest): string {
  const version = manifest.apiVersion.split("/").at(-1)!;
  return `${version[0]!.toUpperCase()}${version.slice(1)}${manifest.kind}`;
}

export interface Instruction {
  stage: string;
  keyword: string;
  args: string;
}

/** deploy/Dockerfile as instructions (continuations joined, comments dropped), each with the stage it belongs to. */
export function dockerfile(): Instruction[] {
  const text = readFileSync(path.join(deployDir, "Dockerfile"), "utf8").replace(/\\\n/g, " ");
  const instructions: Instruction[] = [];
  let stage = "";
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith("#")) continue;
    const [, keyword, args] = /^(\w+)\s+(.*)$/.exec(trimmed) ?? [];
    if (!keyword) throw new Error(`cannot read Dockerfile line: ${line}`);
    if (keyword.toUpperCase() === "FROM") stage = / AS (\S+)$/i.exec(args!)?.[1] ?? args!;
    instructions.push({ stage, keyword: keyword.toUpperCase(), args: args!.replace(/\s+/g, " ").trim() });
  }
  return instructions;
}

/** ENV of a stage, in either `ENV A=1 B=2` or `ENV A 1` form. */
export function dockerEnv(instructions: Instruction[], stage: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of instructions.filter((x) => x.stage === stage && x.keyword === "ENV")) {
    if (!i.args.includes("=")) {
      const [k, ...v] = i.args.split(" ");
      env[k!] = v.join(" ");
      continue;
    }
    for (const pair of i.args.match(/\S+=("[^"]*"|\S*)/g) ?? []) {
      const eq = pair.indexOf("=");
      env[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/^"|"$/g, "");
    }
  }
  return env;
}

export const exists = (relative: string) => existsSync(path.join(repoRoot, relative));
