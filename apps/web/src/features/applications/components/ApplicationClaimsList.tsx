import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import { formatGiB } from "../../storage/utils/size";

export const ApplicationClaimsList_ApplicationFragment = graphql(`
  fragment ApplicationClaimsList_ApplicationFragment on Application {
    id
    namespace
    claims {
      name
      storageClassName
      capacityGiB
      phase
      coveredByBackup
      dismissed
      restoredFrom
      isStorageVolume
    }
  }
`);

/** The namespace's claims and whether a backup covers them. */
export function ApplicationClaimsList({ application }: { application: FragmentType<typeof ApplicationClaimsList_ApplicationFragment> }) {
  const app = useFragment(ApplicationClaimsList_ApplicationFragment, application);
  return (
    <section className="card panel" aria-labelledby="claims-title">
      <div className="panel-header">
        <div>
          <h2 id="claims-title">Claims</h2>
          <p className="muted small">
            PersistentVolumeClaims in namespace <span className="mono">{app.namespace}</span>.
          </p>
        </div>
      </div>
      {app.claims.length === 0 ? (
        <p className="muted">This application has no claims.</p>
      ) : (
        <div className="data-table-wrap">
          <table className="data-table" aria-label="Claims">
            <thead>
              <tr>
                <th scope="col">Claim</th>
                <th scope="col">StorageClass</th>
                <th scope="col">Capacity</th>
                <th scope="col">Phase</th>
                <th scope="col">Backup</th>
              </tr>
            </thead>
            <tbody>
              {app.claims.map((c) => (
                <tr key={c.name} data-testid="claim-row">
                  <th scope="row" className="mono strong">
                    {c.name}
                  </th>
                  <td className="mono" data-card="field" data-label="StorageClass">
                    {c.storageClassName ?? "—"}
                  </td>
                  <td className="num" data-card="field" data-label="Capacity">
                    {c.capacityGiB != null ? formatGiB(c.capacityGiB) : "—"}
                  </td>
                  <td data-card="field" data-label="Phase">
                    {c.phase ?? "—"}
                  </td>
                  <td data-card="field" data-label="Backup">
                    {c.isStorageVolume ? (
                      <span className="badge tone-neutral">Storage Volume (backup destination)</span>
                    ) : c.coveredByBackup ? (
                      <span className="badge tone-ok">Backed up</span>
                    ) : c.dismissed ? (
                      <span className="badge tone-neutral">No backup (dismissed)</span>
                    ) : c.restoredFrom ? (
                      <span className="badge tone-warn">Restored from {c.restoredFrom}, no backup</span>
                    ) : (
                      <span className="badge tone-warn">No backup</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
