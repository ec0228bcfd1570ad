export interface StorageClassLimitDraft {
  key: string;
  storageClassName: string;
  requestsStorageGiB: string;
  maxPersistentVolumeClaims: string;
}

export interface QuotaDraft {
  requestsStorageGiB: string;
  maxPersistentVolumeClaims: string;
  storageClassLimits: StorageClassLimitDraft[];
}

export interface QuotaInputValues {
  requestsStorageGiB: number | null;
  maxPersistentVolumeClaims: number | null;
  storageClassLimits: {
    storageClassName: string;
    requestsStorageGiB: number | null;
    maxPersistentVolumeClaims: number | null;
  }[];
}

export type QuotaErrors = Record<string, string>;

/** Parses an optional non-negative number; "" means no limit (null). */
export function parseOptionalNumber(
  raw: string,
  opts: { integer: boolean; label: string },
): { ok: true; value: number | null } | { ok: false; error: string } {
  const text = raw.trim();
  if (text === "") return { ok: true, value: null };
  if (!/^\d+(\.\d+)?$/.test(text)) return { ok: false, error: `${opts.label} must be a number ≥ 0, or empty for no limit.` };
  const n = Number(text);
  if (opts.integer && !Number.isInteger(n)) return { ok: false, error: `${opts.label} must be a whole number.` };
  if (n > 2_147_483_647) return { ok: false, error: `${opts.label} is too large.` };
  return { ok: true, value: n };
}

/**
 * Validates a quota form. Error keys: "requestsStorageGiB", "maxPersistentVolumeClaims",
 * and "storageClassLimits.<i>.<field>" for per-StorageClass rows.
 */
export function validateQuotaDraft(draft: QuotaDraft): { values: QuotaInputValues | null; errors: QuotaErrors } {
  const errors: QuotaErrors = {};
  const storage = parseOptionalNumber(draft.requestsStorageGiB, { integer: false, label: "Storage limit" });
  if (!storage.ok) errors["requestsStorageGiB"] = storage.error;
  const pvcs = parseOptionalNumber(draft.maxPersistentVolumeClaims, { integer: true, label: "Max PVCs" });
  if (!pvcs.ok) errors["maxPersistentVolumeClaims"] = pvcs.error;

  const seen = new Set<string>();
  const classes: QuotaInputValues["storageClassLimits"] = [];
  draft.storageClassLimits.forEach((row, i) => {
    const prefix = `storageClassLimits.${i}`;
    const name = row.storageClassName.trim();
    if (!name) errors[`${prefix}.storageClassName`] = "Choose a StorageClass.";
    else if (seen.has(name)) errors[`${prefix}.storageClassName`] = `${name} is listed twice.`;
    seen.add(name);
    const s = parseOptionalNumber(row.requestsStorageGiB, { integer: false, label: "Storage limit" });
    if (!s.ok) errors[`${prefix}.requestsStorageGiB`] = s.error;
    const p = parseOptionalNumber(row.maxPersistentVolumeClaims, { integer: true, label: "Max PVCs" });
    if (!p.ok) errors[`${prefix}.maxPersistentVolumeClaims`] = p.error;
    if (s.ok && p.ok && s.value === null && p.value === null && name) {
      errors[`${prefix}.requestsStorageGiB`] = "Set a storage limit or a PVC limit, or remove this row.";
    }
    if (s.ok && p.ok) {
      classes.push({ storageClassName: name, requestsStorageGiB: s.value, maxPersistentVolumeClaims: p.value });
    }
  });

  if (
    storage.ok &&
    storage.value !== null &&
    classes.some((c) => c.requestsStorageGiB !== null && c.requestsStorageGiB > (storage.value ?? 0))
  ) {
    const i = classes.findIndex((c) => c.requestsStorageGiB !== null && c.requestsStorageGiB > (storage.value ?? 0));
    errors[`storageClassLimits.${i}.requestsStorageGiB`] = "Cannot exceed the namespace storage limit.";
  }

  if (Object.keys(errors).length > 0 || !storage.ok || !pvcs.ok) return { values: null, errors };
  return {
    values: {
      requestsStorageGiB: storage.value,
      maxPersistentVolumeClaims: pvcs.value,
      storageClassLimits: classes,
    },
    errors,
  };
}

export function numberToField(n: number | null | undefined): string {
  return n == null ? "" : String(n);
}

/** The use a quota is measured against: what the namespace's claims already request. */
export interface QuotaUse {
  usedStorageGiB: number;
  usedPersistentVolumeClaims: number;
}

/**
 * Where the limits are below what the namespace already uses. Kubernetes accepts such a quota, but refuses
 * every new claim until use drops under it, so the admin is told before saving and on the row afterwards.
 */
export function limitsBelowUse(
  limits: { requestsStorageGiB: number | null; maxPersistentVolumeClaims: number | null },
  use: QuotaUse,
  formatGiB: (gib: number) => string,
): string[] {
  const out: string[] = [];
  if (limits.requestsStorageGiB != null && limits.requestsStorageGiB < use.usedStorageGiB)
    out.push(`The storage limit ${formatGiB(limits.requestsStorageGiB)} is below the ${formatGiB(use.usedStorageGiB)} already requested.`);
  if (limits.maxPersistentVolumeClaims != null && limits.maxPersistentVolumeClaims < use.usedPersistentVolumeClaims)
    out.push(`The limit of ${limits.maxPersistentVolumeClaims} PVCs is below the ${use.usedPersistentVolumeClaims} that exist.`);
  return out;
}
