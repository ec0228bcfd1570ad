import type { ResultOf } from "@graphql-typed-document-node/core";
import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import { UsageBar } from "../../../components/ui/UsageBar";
import { limitsBelowUse } from "../utils/quota-form";
import { formatGiB } from "../../storage/utils/size";

export const NamespaceQuotaRow_NamespaceQuotaFragment = graphql(`
  fragment NamespaceQuotaRow_NamespaceQuotaFragment on NamespaceQuota {
    namespace
    configured
    requestsStorageGiB
    usedStorageGiB
    maxPersistentVolumeClaims
    usedPersistentVolumeClaims
    storageClassLimits {
      storageClassName
      requestsStorageGiB
      usedStorageGiB
      maxPersistentVolumeClaims
      usedPersistentVolumeClaims
    }
  }
`);

export type NamespaceQuotaData = ResultOf<typeof NamespaceQuotaRow_NamespaceQuotaFragment>;

function limitText(used: string, limit: string | null): string {
  return limit === null ? `${used} used · no limit` : `${used} of ${limit}`;
}

export function NamespaceQuotaRow({
  quota,
  canManage,
  onEdit,
}: {
  quota: FragmentType<typeof NamespaceQuotaRow_NamespaceQuotaFragment>;
  canManage: boolean;
  onEdit: (quota: NamespaceQuotaData) => void;
}) {
  const q = useFragment(NamespaceQuotaRow_NamespaceQuotaFragment, quota);
  const storageText = limitText(formatGiB(q.usedStorageGiB), q.requestsStorageGiB == null ? null : formatGiB(q.requestsStorageGiB));
  const pvcText = limitText(
    String(q.usedPersistentVolumeClaims),
    q.maxPersistentVolumeClaims == null ? null : String(q.maxPersistentVolumeClaims),
  );
  const overLimit = limitsBelowUse(q, q, formatGiB);
  return (
    <tr data-testid="namespace-quota-row">
      <th scope="row">
        <span className="mono strong">{q.namespace}</span>
        {!q.configured && <span className="badge status-neutral">No quota</span>}
        {overLimit.length > 0 && (
          <span className="badge status-failed" title={overLimit.join(" ")}>
            Over limit: new claims refused
          </span>
        )}
      </th>
      <td data-card="field" data-label="Storage">
        <UsageBar label={`Storage used in ${q.namespace}`} value={q.usedStorageGiB} max={q.requestsStorageGiB} valueText={storageText} />
        <span className="small muted">{storageText}</span>
      </td>
      <td data-card="field" data-label="PVCs">
        <UsageBar
          label={`PVCs used in ${q.namespace}`}
          value={q.usedPersistentVolumeClaims}
          max={q.maxPersistentVolumeClaims}
          valueText={pvcText}
        />
        <span className="small muted">{pvcText}</span>
      </td>
      <td data-card="field" data-label="Per StorageClass">
        {q.storageClassLimits.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <ul className="class-limits">
            {q.storageClassLimits.map((c) => (
              <li key={c.storageClassName}>
                <span className="mono">{c.storageClassName}</span>:{" "}
                {limitText(formatGiB(c.usedStorageGiB), c.requestsStorageGiB == null ? null : formatGiB(c.requestsStorageGiB))}
                {", "}
                {limitText(
                  `${c.usedPersistentVolumeClaims} PVCs`,
                  c.maxPersistentVolumeClaims == null ? null : `${c.maxPersistentVolumeClaims} PVCs`,
                )}
              </li>
            ))}
          </ul>
        )}
      </td>
      {canManage && (
        <td className="actions-cell" data-card="actions">
          <button
            type="button"
            className="btn btn-small"
            aria-label={q.configured ? `Edit quota for ${q.namespace}` : `Set quota for ${q.namespace}`}
            onClick={() => onEdit(q)}
          >
            {q.configured ? "Edit" : "Set quota"}
          </button>
        </td>
      )}
    </tr>
  );
}
