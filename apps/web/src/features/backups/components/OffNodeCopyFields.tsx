import { useCallback, useState } from "react";
import { FormField } from "../../../components/ui/FormField";
import { VolumePicker, type PickerVolume } from "../../storage/components/VolumePicker";
import { copyVolumeRefusal, type CopyDraft, type CopyVolume } from "../utils/off-node-copy";

export interface OffNodeCopyFieldsProps {
  value: CopyDraft;
  onChange: (patch: Partial<CopyDraft>) => void;
  /** The copy volume is picked from the workspace's available volumes, searched on the server. */
  workspaceId: string;
  /** The backup's destination volume, with its node (the one to avoid); undefined until chosen. */
  primary: CopyVolume | undefined;
  format: string;
  err: (key: string) => string | null;
}

/** The optional second destination (3-2-1): a volume on another Proxmox node, its own picker with each volume's node. */
export function OffNodeCopyFields({ value, onChange, workspaceId, primary, format, err }: OffNodeCopyFieldsProps) {
  // The volumes the picker lists: those it offers disabled are named in the hint, with the reason.
  const [listed, setListed] = useState<readonly PickerVolume[]>([]);
  const refusal = useCallback((v: PickerVolume) => copyVolumeRefusal(v, primary), [primary]);
  const refused = listed.map((v) => ({ volume: v, why: refusal(v) })).filter((r) => r.why);
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
            <VolumePicker
              {...control}
              workspaceId={workspaceId}
              value={value.volumeId}
              disabled={!restic}
              onChange={(volumeId) => onChange({ volumeId })}
              onOptions={setListed}
              refusal={refusal}
              showNode
              noneLabel="No off-node copy"
            />
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
