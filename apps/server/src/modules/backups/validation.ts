import { z } from "zod";
import { invalidInput } from "../../kernel/errors.js";

/** Longest backup name that keeps the CronJob (≤ 52), its Jobs and their Pods (≤ 63) within Kubernetes' limits. */
export const MAX_BACKUP_NAME = 28;

function check<T>(schema: z.ZodType<T>, field: string, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(field, result.error.issues[0]?.message ?? `${field} is not valid.`);
  return result.data;
}

const dnsLabel = (what: string, max = 63) =>
  z
    .string()
    .min(1, `Give the ${what}.`)
    .max(max, `The ${what} has at most ${max} characters.`)
    .regex(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
      `The ${what} uses lowercase letters, digits and '-', starting and ending with a letter or digit.`,
    );

export const validateBackupName = (value: string) => check(dnsLabel("backup name", MAX_BACKUP_NAME), "name", value);
export const validatePvcName = (value: string, field: string) => check(dnsLabel("claim name", 253), field, value);

/**
 * A destination folder inside the volume: relative, plain segments only. Anything that could
 * leave the volume (absolute paths, `..`) or confuse a shell or a person (control characters,
 * empty or dot segments) is refused rather than cleaned up, so what is stored is what was asked for.
 */
export function validateDestinationPath(value: string): string {
  const field = "destination.path";
  const path = value.trim().replace(/\/+$/, "");
  if (!path) throw invalidInput(field, "Give a folder inside the volume, e.g. shop/db.");
  if (path.startsWith("/")) throw invalidInput(field, "The folder is relative to the volume's root: write shop/db, not /shop/db.");
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (/[\u0000-\u001f\u007f]/.test(path)) throw invalidInput(field, "The folder name contains control characters.");
  if (path.length > 200) throw invalidInput(field, "The folder path has at most 200 characters.");
  for (const segment of path.split("/")) {
    if (segment === "") throw invalidInput(field, "The folder path has an empty segment ('//').");
    if (segment === "." || segment === "..")
      throw invalidInput(field, "The folder path cannot contain '.' or '..' segments: it must stay inside the volume.");
    if (!/^[A-Za-z0-9._-]+$/.test(segment)) {
      throw invalidInput(field, `'${segment}' is not a plain folder name: use letters, digits, '.', '_' and '-'.`);
    }
  }
  return path;
}

const count = (what: string) =>
  z.number().int(`${what} is a whole number.`).min(1, `${what} is at least 1 when set.`).max(1000, `${what} is at most 1000.`);

export function validateRetention(value: {
  keepLast?: number | null;
  keepDaily?: number | null;
  keepWeekly?: number | null;
  keepMonthly?: number | null;
}) {
  const pick = (key: keyof typeof value, what: string) => (value[key] == null ? null : check(count(what), `retention.${key}`, value[key]));
  return {
    keepLast: pick("keepLast", "Keep last"),
    keepDaily: pick("keepDaily", "Keep daily"),
    keepWeekly: pick("keepWeekly", "Keep weekly"),
    keepMonthly: pick("keepMonthly", "Keep monthly"),
  };
}

const image = z
  .string()
  .min(1, "Give the container image of the custom function.")
  .max(255)
  .regex(
    /^[a-z0-9]+([._/-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[0-9a-f]{64})?$/,
    "The image is not a valid image reference (e.g. registry.example.com/team/backup:1.2).",
  );

export const validateImage = (value: string) => check(image, "function.image", value);

export function validateScript(value: string): string {
  if (!value.trim()) throw invalidInput("function.script", "Give the script the custom function runs.");
  if (Buffer.byteLength(value) > 32 * 1024)
    throw invalidInput("function.script", "The script is larger than 32 KiB; put it in the image instead.");
  return value;
}

export function validateDatabase(value: {
  host: string;
  port: number;
  name: string;
  user: string;
  passwordSecretName: string;
  passwordSecretKey: string;
}) {
  const host = z
    .string()
    .min(1, "Give the database host.")
    .max(253)
    .regex(/^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/, "The host is a DNS name or address, e.g. shop-db.shop.svc.");
  const word = (what: string) =>
    z
      .string()
      .min(1, `Give the ${what}.`)
      .max(63)
      .regex(/^[A-Za-z0-9_$-]+$/, `The ${what} uses letters, digits, '_', '$' and '-'.`);
  return {
    host: check(host, "function.database.host", value.host),
    port: check(z.number().int().min(1, "The port is 1–65535.").max(65535, "The port is 1–65535."), "function.database.port", value.port),
    name: check(word("database name"), "function.database.name", value.name),
    user: check(word("user name"), "function.database.user", value.user),
    passwordSecretName: check(dnsLabel("Secret name", 253), "function.database.passwordSecretName", value.passwordSecretName),
    passwordSecretKey: check(
      z
        .string()
        .min(1, "Give the key in the Secret.")
        .max(253)
        .regex(/^[-._a-zA-Z0-9]+$/, "A Secret key uses letters, digits, '-', '_' and '.'."),
      "function.database.passwordSecretKey",
      value.passwordSecretKey,
    ),
  };
}
