import { useId, useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { useMutation } from "@apollo/client/react";
import { Dialog } from "../../../components/ui/Dialog";
import { FormErrors } from "../../../components/ui/FormErrors";
import { splitErrorsByField, toUserErrors } from "../../../lib/graphql-errors";
import { newIdempotencyKey } from "../../../lib/uuid";
import { SetNamespaceQuotaMutation } from "../graphql/set-namespace-quota";
import { limitsBelowUse, numberToField, validateQuotaDraft, type QuotaDraft, type StorageClassLimitDraft } from "../utils/quota-form";
import { formatGiB } from "../../storage/utils/size";
import type { NamespaceQuotaData } from "./NamespaceQuotaRow";

export interface QuotaDialogProps {
  workspaceId: string;
  quota: NamespaceQuotaData;
  /** StorageClass names offered in the per-class select (from the workspace's volumes). */
  storageClassOptions: readonly string[];
  /** A way to find StorageClasses the options leave out (when the server cut the list), shown above the rows. */
  storageClassSearch?: ReactNode;
  onClose: () => void;
}

const SERVER_FIELDS = ["requestsStorageGiB", "maxPersistentVolumeClaims"];

function draftFrom(q: NamespaceQuotaData): QuotaDraft {
  return {
    requestsStorageGiB: numberToField(q.requestsStorageGiB),
    maxPersistentVolumeClaims: numberToField(q.maxPersistentVolumeClaims),
    storageClassLimits: q.storageClassLimits.map((c) => ({
      key: newIdempotencyKey(),
      storageClassName: c.storageClassName,
      requestsStorageGiB: numberToField(c.requestsStorageGiB),
      maxPersistentVolumeClaims: numberToField(c.maxPersistentVolumeClaims),
    })),
  };
}

export function QuotaDialog({ workspaceId, quota, storageClassOptions, storageClassSearch, onClose }: QuotaDialogProps) {
  const storageId = useId();
  const pvcId = useId();
  const [draft, setDraft] = useState<QuotaDraft>(() => draftFrom(quota));
  const [attempted, setAttempted] = useState(false);
  const [server, setServer] = useState<{ byField: Record<string, string>; general: string[] }>({
    byField: {},
    general: [],
  });

  const [setQuota, { loading }] = useMutation(SetNamespaceQuotaMutation, {
    update(cache, { data }) {
      const updated = data?.setNamespaceQuota;
      const id = cache.identify({ __typename: "Workspace", id: workspaceId });
      if (!updated || !id) return;
      cache.modify<Record<string, unknown>>({
        id,
        fields: {
          namespaceQuotas(existing, { readField }) {
            const list = (existing ?? []) as readonly object[];
            const i = list.findIndex((q) => readField("namespace", q as never) === updated.namespace);
            if (i < 0) return [...list, updated];
            return list.map((q, j) => (j === i ? updated : q));
          },
        },
      });
    },
  });

  const { values, errors } = validateQuotaDraft(draft);
  const shownErrors: Record<string, string> = attempted ? errors : {};
  const err = (key: string) => shownErrors[key] ?? server.byField[key] ?? null;

  function update(patch: Partial<QuotaDraft>) {
    setDraft((d) => ({ ...d, ...patch }));
    setServer({ byField: {}, general: [] });
  }
  function updateRow(key: string, patch: Partial<StorageClassLimitDraft>) {
    setDraft((d) => ({
      ...d,
      storageClassLimits: d.storageClassLimits.map((r) => (r.key === key ? { ...r, ...patch } : r)),
    }));
    setServer({ byField: {}, general: [] });
  }

  const belowUse = values ? limitsBelowUse(values, quota, formatGiB) : [];

  const usedClasses = new Set(draft.storageClassLimits.map((r) => r.storageClassName));
  // The rows' own choices stay offered whatever the options are now (a search may have moved on from them).
  const options = Array.from(
    new Set([
      ...storageClassOptions,
      ...quota.storageClassLimits.map((c) => c.storageClassName),
      ...draft.storageClassLimits.map((r) => r.storageClassName).filter(Boolean),
    ]),
  ).sort();
  const nextFree = options.find((o) => !usedClasses.has(o));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setAttempted(true);
    if (!values) return;
    try {
      await setQuota({
        variables: {
          input: {
            workspaceId,
            namespace: quota.namespace,
            requestsStorageGiB: values.requestsStorageGiB,
            maxPersistentVolumeClaims: values.maxPersistentVolumeClaims,
            storageClassLimits: values.storageClassLimits,
          },
        },
      });
      onClose();
    } catch (caught) {
      setServer(splitErrorsByField(toUserErrors(caught), SERVER_FIELDS));
    }
  }

  return (
    <Dialog
      title={`${quota.configured ? "Edit" : "Set"} quota for ${quota.namespace}`}
      onClose={onClose}
      size="lg"
      testId="quota-dialog"
      description={`Currently using ${formatGiB(quota.usedStorageGiB)} in ${quota.usedPersistentVolumeClaims} PVCs. Leave a field empty for no limit.`}
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormErrors messages={server.general} />
        <div className="field-row">
          <div className="field">
            <label htmlFor={storageId}>Storage limit (GiB)</label>
            <input
              id={storageId}
              type="number"
              min={0}
              step="any"
              inputMode="decimal"
              placeholder="No limit"
              value={draft.requestsStorageGiB}
              aria-invalid={err("requestsStorageGiB") ? true : undefined}
              aria-describedby={err("requestsStorageGiB") ? `${storageId}-err` : undefined}
              onChange={(e) => update({ requestsStorageGiB: e.target.value })}
              autoFocus
            />
            {err("requestsStorageGiB") && (
              <p id={`${storageId}-err`} className="field-error">
                {err("requestsStorageGiB")}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={pvcId}>Max PVCs</label>
            <input
              id={pvcId}
              type="number"
              min={0}
              step={1}
              inputMode="numeric"
              placeholder="No limit"
              value={draft.maxPersistentVolumeClaims}
              aria-invalid={err("maxPersistentVolumeClaims") ? true : undefined}
              aria-describedby={err("maxPersistentVolumeClaims") ? `${pvcId}-err` : undefined}
              onChange={(e) => update({ maxPersistentVolumeClaims: e.target.value })}
            />
            {err("maxPersistentVolumeClaims") && (
              <p id={`${pvcId}-err`} className="field-error">
                {err("maxPersistentVolumeClaims")}
              </p>
            )}
          </div>
        </div>

        <fieldset className="class-limits-fieldset">
          <legend>Per-StorageClass limits (optional)</legend>
          {storageClassSearch}
          {draft.storageClassLimits.length === 0 && (
            <p className="muted small">No per-StorageClass limits. The namespace limits apply to all classes.</p>
          )}
          {draft.storageClassLimits.map((row, i) => {
            const n = i + 1;
            const prefix = `storageClassLimits.${i}`;
            const rowError =
              err(`${prefix}.storageClassName`) ?? err(`${prefix}.requestsStorageGiB`) ?? err(`${prefix}.maxPersistentVolumeClaims`);
            const rowOptions = options.filter((o) => o === row.storageClassName || !usedClasses.has(o));
            return (
              <div className="class-limit-row" key={row.key} data-testid="storage-class-limit-row">
                <select
                  aria-label={`StorageClass ${n}`}
                  value={row.storageClassName}
                  onChange={(e) => updateRow(row.key, { storageClassName: e.target.value })}
                >
                  <option value="">Choose a StorageClass…</option>
                  {rowOptions.map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </select>
                <input
                  type="number"
                  min={0}
                  step="any"
                  placeholder="GiB (no limit)"
                  aria-label={`Storage limit (GiB) for StorageClass ${n}`}
                  value={row.requestsStorageGiB}
                  onChange={(e) => updateRow(row.key, { requestsStorageGiB: e.target.value })}
                />
                <input
                  type="number"
                  min={0}
                  step={1}
                  placeholder="PVCs (no limit)"
                  aria-label={`Max PVCs for StorageClass ${n}`}
                  value={row.maxPersistentVolumeClaims}
                  onChange={(e) => updateRow(row.key, { maxPersistentVolumeClaims: e.target.value })}
                />
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove StorageClass limit ${n}`}
                  onClick={() => update({ storageClassLimits: draft.storageClassLimits.filter((r) => r.key !== row.key) })}
                >
                  ×
                </button>
                {rowError && <p className="field-error class-limit-error">{rowError}</p>}
              </div>
            );
          })}
          <button
            type="button"
            className="btn btn-small"
            disabled={!nextFree}
            onClick={() =>
              update({
                storageClassLimits: [
                  ...draft.storageClassLimits,
                  {
                    key: newIdempotencyKey(),
                    storageClassName: nextFree ?? "",
                    requestsStorageGiB: "",
                    maxPersistentVolumeClaims: "",
                  },
                ],
              })
            }
          >
            Add StorageClass limit
          </button>
          {options.length === 0 && <p className="muted small">No StorageClasses yet: they come from the workspace&apos;s volumes.</p>}
        </fieldset>

        {belowUse.length > 0 && (
          <div className="alert alert-warn" data-testid="quota-below-use">
            {belowUse.map((m) => (
              <p key={m}>{m}</p>
            ))}
            <p>Kubernetes accepts it, but refuses every new claim in {quota.namespace} until use drops below the limit.</p>
          </div>
        )}

        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={loading}>
            {loading ? "Saving…" : belowUse.length > 0 ? "Save quota anyway" : "Save quota"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
