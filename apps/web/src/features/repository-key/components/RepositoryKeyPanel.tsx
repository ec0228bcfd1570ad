import { useMutation, useQuery } from "@apollo/client/react";
import { useRef, useState } from "react";
import { Dialog } from "../../../components/ui/Dialog";
import { TypeToConfirmForm } from "../../../components/ui/TypeToConfirmForm";
import { formatDateTime } from "../../backups/utils/time";
import { ExportRepositoryKeyMutation, RepositoryKeyQuery } from "../graphql";

/** Workspace Admins only: the key that encrypts the workspace's restic repositories, and who took it out of HKS. */
export function RepositoryKeyPanel({ workspaceId }: { workspaceId: string }) {
  const { data } = useQuery(RepositoryKeyQuery, { variables: { workspaceId } });
  const [open, setOpen] = useState(false);
  const workspace = data?.workspace;
  const exports = workspace?.repositoryKeyExports ?? [];
  return (
    <section className="card panel" aria-labelledby="repository-key-title" data-testid="repository-key-panel">
      <div className="panel-header">
        <div>
          <h2 id="repository-key-title">Repository key</h2>
          <p className="muted small">
            Backups stored as a repository are encrypted with this workspace&apos;s key. HKS keeps it encrypted in its database and in a
            Secret next to the backups; export it to keep a copy of your own: with it, restic reads the backups without HKS.
          </p>
        </div>
        <button type="button" className="btn" disabled={!workspace} onClick={() => setOpen(true)}>
          Export key…
        </button>
      </div>
      {exports.length === 0 ? (
        <p className="muted small">Nobody has exported the key yet.</p>
      ) : (
        <ul className="plain-list small" aria-label="Last exports of the repository key">
          {exports.map((e) => (
            <li key={e.id}>
              Exported by {e.userEmail} on {formatDateTime(e.createdAt)}
            </li>
          ))}
        </ul>
      )}
      {open && workspace && <ExportKeyDialog workspaceId={workspaceId} slug={workspace.slug} onClose={() => setOpen(false)} />}
    </section>
  );
}

function ExportKeyDialog({ workspaceId, slug, onClose }: { workspaceId: string; slug: string; onClose: () => void }) {
  const [exportKey, { loading }] = useMutation(ExportRepositoryKeyMutation, {
    refetchQueries: [{ query: RepositoryKeyQuery, variables: { workspaceId } }],
  });
  const [key, setKey] = useState<string | null>(null);
  // The form closes itself after a success; here a success shows the key instead.
  const exported = useRef(false);
  return (
    <Dialog title="Export the repository key" onClose={onClose} size="sm" testId="export-key-dialog">
      {key === null ? (
        <TypeToConfirmForm
          confirmText={slug}
          submitLabel="Show key"
          busyLabel="Exporting…"
          busy={loading}
          onConfirm={async () => {
            const result = await exportKey({ variables: { workspaceId, confirm: slug } });
            exported.current = true;
            setKey(result.data?.exportRepositoryKey ?? "");
          }}
          onClose={() => {
            if (!exported.current) onClose();
          }}
        >
          <div className="alert alert-warn">
            Anyone with this key can read every backup of the workspace that is stored as a repository. The export is recorded with your
            name and the time.
          </div>
        </TypeToConfirmForm>
      ) : (
        <div>
          <label htmlFor="exported-key">The key (store it in a password manager)</label>
          <input
            id="exported-key"
            className="mono"
            type="text"
            readOnly
            value={key}
            data-testid="exported-key"
            onFocus={(e) => e.target.select()}
          />
          <p className="muted small">
            Restore without HKS: put the key alone in a file, then{" "}
            <code>RESTIC_PASSWORD_FILE=key restic -r &lt;folder&gt; restore &lt;snapshot&gt; --target &lt;dir&gt;</code>.
          </p>
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
