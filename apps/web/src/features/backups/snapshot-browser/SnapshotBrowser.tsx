import { useEffect, useId, useState } from "react";
import { useMutation, useQuery } from "@apollo/client/react";
import { useAnnounce } from "../../../components/a11y/useAnnounce";
import { Dialog } from "../../../components/ui/Dialog";
import { FormErrors } from "../../../components/ui/FormErrors";
import { LoadingState } from "../../../components/ui/PageState";
import { Spinner } from "../../../components/ui/Spinner";
import { toUserErrors } from "../../../lib/graphql-errors";
import { CreateSnapshotDownloadMutation, SnapshotListingQuery } from "../graphql/snapshot-browse";
import { useDebouncedValue } from "../hooks/useDebouncedValue";
import { formatDateTime } from "../utils/time";
import type { RunRow } from "../components/RunsTable";
import { breadcrumbs, pageLabel } from "./paths";
import { SnapshotEntriesTable } from "./SnapshotEntriesTable";
import { SnapshotRestoreForm } from "./SnapshotRestoreForm";

export const SNAPSHOT_PAGE_SIZE = 50;

export interface SnapshotBrowserProps {
  run: RunRow;
  /** The claim the backup reads: where a restore puts files back. */
  claimName: string | null;
  canManage: boolean;
  onClose: () => void;
}

/** A backup run's snapshot as folders and files: open folders, search below one, choose entries to restore, download a file. */
export function SnapshotBrowser({ run, claimName, canManage, onClose }: SnapshotBrowserProps) {
  const announce = useAnnounce();
  const searchId = useId();
  const [path, setPath] = useState("/");
  const [searchText, setSearchText] = useState("");
  const search = useDebouncedValue(searchText.trim(), 300);
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<string[]>([]);
  const { data, error, loading, startPolling, stopPolling } = useQuery(SnapshotListingQuery, {
    variables: { runId: run.id, path, search: search || null, offset, limit: SNAPSHOT_PAGE_SIZE },
    fetchPolicy: "cache-first",
  });
  const listing = data?.snapshotListing;
  const indexing = listing?.state === "INDEXING";
  // The first look reads the whole snapshot; until then the server answers "indexing" and is asked again.
  useEffect(() => {
    if (indexing) startPolling(1500);
    else stopPolling();
    return stopPolling;
  }, [indexing, startPolling, stopPolling]);
  useEffect(() => setOffset(0), [search, path]);

  const [createDownload, { loading: minting }] = useMutation(CreateSnapshotDownloadMutation);

  function open(folder: string) {
    setPath(folder);
    setSearchText("");
    setErrors([]);
  }

  async function download(entryPath: string) {
    setErrors([]);
    try {
      const { data: d } = await createDownload({ variables: { runId: run.id, path: entryPath } });
      const link = d?.createSnapshotDownload;
      if (!link) return;
      // The link carries its own single-use token: the browser downloads it like any file.
      const a = document.createElement("a");
      a.href = link.url;
      a.download = link.fileName;
      document.body.append(a);
      a.click();
      a.remove();
      announce(`Downloading ${link.fileName}.`);
    } catch (caught) {
      setErrors(toUserErrors(caught).map((e) => e.message));
    }
  }

  function toggle(entryPath: string) {
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(entryPath)) next.delete(entryPath);
      else next.add(entryPath);
      return next;
    });
  }

  const crumbs = breadcrumbs(listing?.path ?? path);
  const entries = listing?.state === "READY" ? listing.entries : [];

  return (
    <Dialog
      title={`Files of snapshot ${run.snapshot?.slice(0, 8) ?? ""}`}
      onClose={onClose}
      size="lg"
      testId="snapshot-browser"
      description={`Written ${formatDateTime(run.finishedAt ?? run.startedAt ?? run.scheduledAt)}. Open folders, search, choose files or folders to restore${canManage ? ", or download a file" : ""}.`}
    >
      <nav aria-label="Folder" className="snapshot-crumbs">
        <ol>
          {crumbs.map((c, i) => (
            <li key={c.path}>
              {i === crumbs.length - 1 ? (
                <span aria-current="location" className="mono">
                  {c.name}
                </span>
              ) : (
                <button type="button" className="link-button mono" onClick={() => open(c.path)}>
                  {c.name}
                </button>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <div className="field snapshot-search">
        <label htmlFor={searchId}>Search names below this folder</label>
        <input id={searchId} type="search" autoComplete="off" value={searchText} onChange={(e) => setSearchText(e.target.value)} />
      </div>
      <FormErrors messages={[...(error && !data ? toUserErrors(error).map((e) => e.message) : []), ...errors]} />
      {!listing && !error ? (
        <LoadingState label="Reading the snapshot" />
      ) : indexing ? (
        <p className="muted" role="status" data-testid="snapshot-indexing">
          <Spinner label="Reading the snapshot" /> Reading the whole snapshot once; folders open at once after that…
        </p>
      ) : listing ? (
        <>
          <SnapshotEntriesTable
            entries={entries}
            folder={listing.path}
            searching={Boolean(listing.search)}
            selected={selected}
            canManage={canManage}
            downloading={minting}
            onOpen={open}
            onToggle={toggle}
            onDownload={(p) => void download(p)}
          />
          <div className="table-footer">
            <span className="muted small" aria-live="polite">
              {pageLabel(listing.offset, entries.length, listing.total)}
              {loading && <Spinner label="Loading" />}
            </span>
            <div className="row-actions">
              <button
                type="button"
                className="btn btn-small"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - SNAPSHOT_PAGE_SIZE))}
              >
                Previous page
              </button>
              <button
                type="button"
                className="btn btn-small"
                disabled={offset + SNAPSHOT_PAGE_SIZE >= listing.total}
                onClick={() => setOffset(offset + SNAPSHOT_PAGE_SIZE)}
              >
                Next page
              </button>
            </div>
          </div>
        </>
      ) : null}
      {canManage && claimName && (
        <SnapshotRestoreForm
          runId={run.id}
          claimName={claimName}
          paths={[...selected].sort()}
          onClear={() => setSelected(new Set())}
          onStarted={onClose}
        />
      )}
      {!canManage && <p className="muted small">Restoring and downloading files is for Workspace Admins.</p>}
    </Dialog>
  );
}
