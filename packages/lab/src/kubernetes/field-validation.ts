import { badRequest } from "./errors.js";
import type { KindDef } from "./kinds/kind.js";
import { kindSchemas, type Schema } from "./openapi-models.js";
import { isRecord } from "./types.js";

/**
 * Unknown fields in a write, as the apiserver treats them: a built-in object decodes into its Go type, so a field the
 * type does not have is dropped, and `fieldValidation` says what the client hears of it: Strict (kubectl's default) a
 * 400, Warn (the server's default) a `Warning` header each, Ignore nothing.
 */
export type FieldValidation = "Strict" | "Warn" | "Ignore";

/** Removes the fields `def`'s schema does not declare from `obj`; returns their paths (`spec.foo`, `spec.list[0].bar`). */
export function dropUnknownFields(obj: Record<string, unknown>, def: KindDef): string[] {
  const { name, schemas } = kindSchemas(def);
  const unknown: string[] = [];
  const resolve = (schema: Schema | undefined): Schema | undefined => {
    const refs = schema?.allOf as Array<{ $ref?: string }> | undefined;
    const ref = refs?.[0]?.$ref ?? (schema?.$ref as string | undefined);
    return ref ? schemas[ref.replace("#/components/schemas/", "")] : schema;
  };
  const walk = (value: unknown, schema: Schema | undefined, at: string) => {
    const s = resolve(schema);
    if (!s || s["x-kubernetes-preserve-unknown-fields"] === true) return;
    if (Array.isArray(value) && s.type === "array") {
      value.forEach((item, i) => walk(item, s.items as Schema, `${at}[${i}]`));
      return;
    }
    if (!isRecord(value) || s.type !== "object") return;
    const properties = s.properties as Record<string, Schema> | undefined;
    if (properties) {
      for (const key of Object.keys(value)) {
        const path = at ? `${at}.${key}` : key;
        if (key in properties) walk(value[key], properties[key], path);
        else {
          unknown.push(path);
          delete value[key];
        }
      }
    } else if (isRecord(s.additionalProperties))
      for (const key of Object.keys(value)) walk(value[key], s.additionalProperties, at ? `${at}.${key}` : key);
  };
  walk(obj, schemas[name], "");
  return unknown;
}

/** The outcome for a decoded body: throws for Strict, returns the warnings to send for Warn. */
export function checkUnknownFields(
  obj: Record<string, unknown>,
  def: KindDef,
  directive: FieldValidation,
  how: "decode" | "apply",
  objectName = "",
): string[] {
  const unknown = dropUnknownFields(obj, def);
  if (unknown.length === 0 || directive === "Ignore") return [];
  if (directive === "Warn") return unknown.map((path) => `unknown field "${path}"`);
  if (how === "apply")
    throw badRequest(
      `failed to create typed patch object (${objectName}; ${def.apiVersion}, Kind=${def.kind}): ${unknown.map((p) => `.${p}: field not declared in schema`).join(", ")}`,
    );
  throw badRequest(
    `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${unknown.map((p) => `unknown field "${p}"`).join(", ")}`,
  );
}

/** The `Warning` header values (RFC 7234 style, as the apiserver writes them: `299 - "text"`). */
export function warningHeader(warnings: string[]): string[] {
  return warnings.map((w) => `299 - ${JSON.stringify(w)}`);
}
