import { z } from "zod";
import { invalidInput } from "../../kernel/errors.js";

const gib = z
  .number()
  .finite("Give the storage limit as a number of GiB.")
  .min(0, "A storage limit cannot be negative.")
  .max(1_048_576, "That storage limit is larger than any volume could be.");
const count = z.number().int("The number of claims is a whole number.").min(0, "The number of claims cannot be negative.").max(100_000);
const className = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "A StorageClass name is a lowercase DNS name (e.g. hks-backup-vol-1).")
  .max(253);

export interface QuotaLimits {
  requestsStorageGiB?: number | null;
  maxPersistentVolumeClaims?: number | null;
}

function check<T>(schema: z.ZodType<T>, field: string, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(field, result.error.issues[0]?.message ?? `${field} is not valid.`);
  return result.data;
}

export function validateLimits(limits: QuotaLimits, prefix = ""): QuotaLimits {
  return {
    requestsStorageGiB: limits.requestsStorageGiB == null ? null : check(gib, `${prefix}requestsStorageGiB`, limits.requestsStorageGiB),
    maxPersistentVolumeClaims:
      limits.maxPersistentVolumeClaims == null
        ? null
        : check(count, `${prefix}maxPersistentVolumeClaims`, limits.maxPersistentVolumeClaims),
  };
}

export const validateStorageClassName = (value: string, field: string) => check(className, field, value);
