import { z } from "zod";
import { invalidInput } from "../../kernel/errors.js";

/** Longest name that still fits the StorageClass, PV and Proxmox disk names derived from it. */
export const MAX_VOLUME_NAME = 40;
/** A single Proxmox disk above 64 TiB is not something a workspace asks for by mistake we should honour. */
export const MAX_VOLUME_GIB = 65_536;

const volumeName = z
  .string()
  .min(1, "Give the volume a name.")
  .max(MAX_VOLUME_NAME, `A volume name has at most ${MAX_VOLUME_NAME} characters.`)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    "A volume name uses lowercase letters, digits and '-', and starts and ends with a letter or digit (e.g. backup-vol-1).",
  );

const sizeGiB = z
  .number()
  .int("The size is a whole number of GiB.")
  .min(1, "The size must be at least 1 GiB.")
  .max(MAX_VOLUME_GIB, `The size can be at most ${MAX_VOLUME_GIB} GiB.`);

const idempotencyKey = z.string().min(8, "An idempotency key has at least 8 characters.").max(128).optional().nullable();

function parse<T>(schema: z.ZodType<T>, field: string, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(field, result.error.issues[0]?.message ?? `${field} is not valid.`);
  return result.data;
}

export const validateVolumeName = (value: string) => parse(volumeName, "name", value);
export const validateSizeGiB = (value: number) => parse(sizeGiB, "sizeGiB", value);
export const validateIdempotencyKey = (value: string | null | undefined) => parse(idempotencyKey, "idempotencyKey", value) ?? undefined;

/** The most volumes one page may hold; without `first` the whole list comes back (the dashboard's table). */
export const MAX_PAGE = 5000;

const page = z.object({
  first: z.number().int().min(1, "'first' must be at least 1.").max(MAX_PAGE, `'first' can be at most ${MAX_PAGE}.`).nullish(),
  after: z.string().uuid("'after' is the id of the last volume of the previous page.").nullish(),
});

export function validatePage(value: { first?: number | null; after?: string | null }): { first?: number; after?: string } {
  const result = page.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalidInput(String(issue?.path[0] ?? "first"), issue?.message ?? "The page is not valid.");
  }
  return { first: result.data.first ?? undefined, after: result.data.after ?? undefined };
}
