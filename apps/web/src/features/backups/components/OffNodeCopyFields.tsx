import { FormField } from "../../../components/ui/FormField";
import { formatGiB } from "../../storage/utils/size";
import { copyVolumeRefusal, type CopyDraft, type CopyVolume } from "../utils/off-node-copy";

export interface OffNodeCopyFieldsProps {
  value: CopyDraft;
  onChange: (patch: Partial<CopyDraft>) => void;
  /** The workspace's available volumes, with the Proxmox node of each. */
  volumes: readonly CopyVolume[];
  /** The backup's destination volume (its node is the one to avoid). */
  primaryVolumeId: string;
  format: string;
  err: (key: string) => string | null;
}

/** The optional second destination (3-2-1): a volume on another Proxmox node, its own picker with each volume's node. */
export function OffNodeCopyFields({ value, onChange, volumes, primaryVolumeId, format, err }: OffNodeCopyFieldsProps) {
  const primary = volumes.find((v) => v.id === primaryVolumeId);
  const refused = volumes.map((v) => ({ volume: v, why: copyVolumeRefusal(v, primary) })).filter((r) => r.why);
  const restic = format === "RESTIC";
  return (
    <fieldset className="form-fieldset" data-testid="off-node-copy">
      <legend>Off-node copy (optional)</legend>
      <p className="field-hint">
        A second repository on another Proxmox node: losing one node loses no backup. Each successful snapshot is copied there after its
        run, retention applies to both, and a restore can read either.
      </p>
      <div className="field-row">
        <FormField
          label="Copy volume"
          error={err("copyDestination.volumeId") ?? err("copyDestination")}
          hint={
            !restic
              ? "Needs the RESTIC format (plain files have no repository to copy)."
              : refused.length > 0
                ? `Not offered: ${refused.map((r) => `${r.volume.name} (${r.why})`).join("; ")}.`
                : undefined
          }
        >
          {(control) => (
            <select {...control} value={value.volumeId} disabled={!restic} onChange={(e) => onChange({ volumeId: e.target.value })}>
              <option value="">No off-node copy</option>
              {volumes.map((v) => {
                const why = copyVolumeRefusal(v, primary);
                return (
                  <option key={v.id} value={v.id} disabled={why !== null}>
                    {v.name} ({formatGiB(v.sizeGiB)}) — node {v.node ?? "unknown"}
                    {why ? ` — ${why}` : ""}
                  </option>
                );
              })}
            </select>
          )}
        </FormField>
        {value.volumeId && (
          <FormField label="Folder in the copy volume" error={err("copyDestination.path")} hint="Relative, e.g. shop/db.">
            {(control) => (
              <input
                {...control}
                type="text"
                className="mono"
                autoComplete="off"
                spellCheck={false}
                placeholder="shop/db"
                value={value.path}
                onChange={(e) => onChange({ path: e.target.value })}
              />
            )}
          </FormField>
        )}
      </div>
    </fieldset>
  );
}
