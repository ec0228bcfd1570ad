import { badRequest } from "./errors.js";
import type { KindDef } from "./kinds/kind.js";
import type { KubeObject } from "./types.js";

export type LabelRequirement =
  | { key: string; op: "=" | "!="; value: string }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!exists" };

/** Splits on commas that are not inside `in (a,b)` parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

export function parseLabelSelector(text: string | undefined | null): LabelRequirement[] {
  if (!text) return [];
  return splitTopLevel(text).map((part) => {
    let m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (m)
      return {
        key: m[1] ?? "",
        op: m[2] as "in" | "notin",
        values: (m[3] ?? "")
          .split(",")
          .map((v) => v.trim())
          .filter(Boolean),
      };
    m = /^([^\s!=]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
    if (m) return { key: m[1] ?? "", op: m[2] === "!=" ? "!=" : "=", value: m[3] ?? "" };
    m = /^(!?)\s*([^\s!=()]+)$/.exec(part);
    if (m) return { key: m[2] ?? "", op: m[1] ? "!exists" : "exists" };
    throw badRequest(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
  });
}

export function matchesLabels(labels: Record<string, string> | undefined, requirements: LabelRequirement[]): boolean {
  const l = labels ?? {};
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const value = l[r.key];
    switch (r.op) {
      case "=":
        return has && value === r.value;
      case "!=":
        return !has || value !== r.value;
      case "in":
        return has && r.values.includes(value ?? "");
      case "notin":
        return !has || !r.values.includes(value ?? "");
      case "exists":
        return has;
      case "!exists":
        return !has;
    }
  });
}

/** Label selectors in object form (PVC spec.selector). */
export function matchesLabelSelectorObject(
  labels: Record<string, string> | undefined,
  selector:
    { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | undefined,
): boolean {
  if (!selector) return true;
  const reqs: LabelRequirement[] = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({ key, op: "=", value }));
  for (const e of selector.matchExpressions ?? []) {
    if (e.operator === "In") reqs.push({ key: e.key, op: "in", values: e.values ?? [] });
    else if (e.operator === "NotIn") reqs.push({ key: e.key, op: "notin", values: e.values ?? [] });
    else if (e.operator === "Exists") reqs.push({ key: e.key, op: "exists" });
    else if (e.operator === "DoesNotExist") reqs.push({ key: e.key, op: "!exists" });
  }
  return matchesLabels(labels, reqs);
}

export interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
  read: (obj: KubeObject) => string | undefined;
}

export function parseFieldSelector(text: string | undefined | null, def: KindDef): FieldRequirement[] {
  if (!text) return [];
  return splitTopLevel(text).map((part) => {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const field = (m[1] ?? "").trim();
    let read: ((obj: KubeObject) => string | undefined) | undefined;
    if (field === "metadata.name") read = (o) => o.metadata.name;
    else if (field === "metadata.namespace") read = (o) => o.metadata.namespace ?? "";
    else read = def.fieldSelectors?.[field];
    if (!read) throw badRequest(`field label not supported: ${field}`);
    return { field, op: m[2] === "!=" ? "!=" : "=", value: (m[3] ?? "").trim(), read };
  });
}

export function matchesFields(obj: KubeObject, requirements: FieldRequirement[]): boolean {
  return requirements.every((r) => {
    const actual = r.read(obj) ?? "";
    return r.op === "=" ? actual === r.value : actual !== r.value;
  });
}
