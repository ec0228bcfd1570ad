import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import { NamespaceQuotaRow, type NamespaceQuotaData } from "./NamespaceQuotaRow";

export const NamespaceQuotasPanel_WorkspaceFragment = graphql(`
  fragment NamespaceQuotasPanel_WorkspaceFragment on Workspace {
    id
    namespaceQuotas {
      namespace
      ...NamespaceQuotaRow_NamespaceQuotaFragment
    }
  }
`);

export function NamespaceQuotasPanel({
  workspace,
  canManage,
  onEdit,
}: {
  workspace: FragmentType<typeof NamespaceQuotasPanel_WorkspaceFragment>;
  canManage: boolean;
  onEdit: (quota: NamespaceQuotaData) => void;
}) {
  const { namespaceQuotas } = useFragment(NamespaceQuotasPanel_WorkspaceFragment, workspace);
  return (
    <section className="card panel" aria-labelledby="quotas-title">
      <div className="panel-header">
        <div>
          <h2 id="quotas-title">Namespace quotas</h2>
          <p className="muted small">
            Kubernetes ResourceQuotas that share the workspace&apos;s storage among namespaces: total PVC storage and number of PVCs,
            optionally per StorageClass.
          </p>
        </div>
      </div>
      {namespaceQuotas.length === 0 ? (
        <p className="muted">No namespaces in this workspace&apos;s cluster yet.</p>
      ) : (
        <div className="data-table-wrap">
          <table className="data-table quota-table" aria-label="Namespace quotas">
            <thead>
              <tr>
                <th scope="col">Namespace</th>
                <th scope="col">Storage</th>
                <th scope="col">PVCs</th>
                <th scope="col">Per StorageClass</th>
                {canManage && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {namespaceQuotas.map((q) => (
                <NamespaceQuotaRow key={q.namespace} quota={q} canManage={canManage} onEdit={onEdit} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
