import { formatBytes } from "../utils/bytes";
import { formatDateTime } from "../utils/time";
import { relativeTo } from "./paths";

export interface SnapshotEntryRow {
  path: string;
  name: string;
  type: string;
  size: number;
  mtime?: string | null;
}

export interface SnapshotEntriesTableProps {
  entries: readonly SnapshotEntryRow[];
  folder: string;
  /** Search results show where each entry is, below the folder. */
  searching: boolean;
  selected: ReadonlySet<string>;
  canManage: boolean;
  downloading: boolean;
  onOpen: (folder: string) => void;
  onToggle: (path: string) => void;
  onDownload: (path: string) => void;
}

const TYPE_WORDS: Record<string, string> = { dir: "Folder", file: "File", symlink: "Link" };

export function SnapshotEntriesTable(props: SnapshotEntriesTableProps) {
  const { entries, folder, searching, selected, canManage, downloading, onOpen, onToggle, onDownload } = props;
  return (
    <div className="snapshot-table-wrap">
      <table className="data-table snapshot-table" data-testid="snapshot-entries">
        <caption className="visually-hidden">{searching ? `Entries below ${folder} whose name matches` : `Entries of ${folder}`}</caption>
        <thead>
          <tr>
            {canManage && (
              <th scope="col">
                <span className="visually-hidden">Selected</span>
              </th>
            )}
            <th scope="col">Name</th>
            <th scope="col" className="col-type">
              Type
            </th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col" className="col-mtime">
              Modified
            </th>
            {canManage && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {entries.length === 0 ? (
            <tr>
              <td className="data-table-empty" colSpan={canManage ? 6 : 4}>
                {searching ? "No names below this folder match." : "This folder is empty."}
              </td>
            </tr>
          ) : (
            entries.map((e) => {
              const shown = searching ? relativeTo(folder, e.path) : e.name;
              return (
                <tr key={e.path} data-testid="snapshot-entry">
                  {canManage && (
                    <td data-card="badge">
                      <input
                        type="checkbox"
                        aria-label={`Select ${e.path}`}
                        checked={selected.has(e.path)}
                        onChange={() => onToggle(e.path)}
                      />
                    </td>
                  )}
                  <td className="mono snapshot-name" data-card="title">
                    {e.type === "dir" ? (
                      <button
                        type="button"
                        className="link-button mono"
                        aria-label={`Open folder ${e.path}`}
                        onClick={() => onOpen(e.path)}
                      >
                        {shown}/
                      </button>
                    ) : (
                      shown
                    )}
                  </td>
                  <td className="col-type" data-card="field" data-label="Type">
                    {TYPE_WORDS[e.type] ?? e.type}
                  </td>
                  <td className="num" data-card="field" data-label="Size">
                    {e.type === "dir" ? "—" : formatBytes(e.size)}
                  </td>
                  <td className="col-mtime" data-card="field" data-label="Modified">
                    {formatDateTime(e.mtime ?? null)}
                  </td>
                  {canManage && (
                    <td data-card="actions">
                      {e.type === "file" && (
                        <button
                          type="button"
                          className="btn btn-small"
                          aria-label={`Download ${e.path}`}
                          disabled={downloading}
                          onClick={() => onDownload(e.path)}
                        >
                          Download
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}
