import { useEffect, useId, useState } from "react";
import { useQuery } from "@apollo/client/react";
import type { FormFieldControlProps } from "../../../components/ui/FormField";
import { useDebouncedValue } from "../../../hooks/useDebouncedValue";
import { VolumePickerQuery } from "../graphql/volume-picker";
import { formatGiB } from "../utils/size";

/** A volume as a picker offers it. */
export interface PickerVolume {
  id: string;
  name: string;
  sizeGiB: number;
  status: string;
  node?: string | null;
}

/** Choices listed at once; more are found by searching, however many volumes the workspace has. */
export const PICKER_PAGE = 50;
const SEARCH_DELAY_MS = 200;

export interface VolumePickerProps extends FormFieldControlProps {
  workspaceId: string;
  /** The chosen volume's id, or "" for none. */
  value: string;
  onChange: (volumeId: string) => void;
  /** Which volumes may be chosen (AVAILABLE ones unless told). */
  statuses?: readonly ("AVAILABLE" | "PROVISIONING" | "EXPANDING" | "FAILED")[];
  /** Told how many volumes may be chosen at all, and the only one when there is exactly one. */
  onChoices?: (count: number, only: { id: string } | null) => void;
  /** Told the chosen volume (with its node) once the server has named it, or null for none. */
  onChosen?: (volume: PickerVolume | null) => void;
  /** Told the volumes listed (e.g. to say which of them are not offered). */
  onOptions?: (volumes: readonly PickerVolume[]) => void;
  /** Why a listed volume may not be chosen (it is listed, disabled, with the reason), or null. */
  refusal?: (volume: PickerVolume) => string | null;
  /** Each option names the volume's Proxmox node. */
  showNode?: boolean;
  /** The first option, for no volume. */
  noneLabel?: string;
  disabled?: boolean;
}

const NO_OPTIONS: readonly PickerVolume[] = [];
const noun = (n: number) => (n === 1 ? "1 volume" : `${n.toLocaleString("en-US")} volumes`);

/**
 * A Storage Volume picker that asks the server: a search box narrows the list (name, StorageClass, node…) and the
 * select offers the first matches by name, so it costs one small page whatever the workspace holds. The select is
 * the labelled control (the FormField's id goes on it); the search box sits before it with a label of its own.
 */
export function VolumePicker({
  workspaceId,
  value,
  onChange,
  statuses = ["AVAILABLE"],
  onChoices,
  onChosen,
  onOptions,
  refusal,
  showNode = false,
  noneLabel = "Choose a volume…",
  disabled = false,
  ...control
}: VolumePickerProps) {
  const searchId = useId();
  const statusId = useId();
  const [search, setSearch] = useState("");
  const query = useDebouncedValue(search.trim(), SEARCH_DELAY_MS);

  const { data, previousData, loading, error } = useQuery(VolumePickerQuery, {
    variables: {
      workspaceId,
      first: PICKER_PAGE,
      filter: { search: query || null, statuses: [...statuses] },
      selectedId: value || "00000000-0000-0000-0000-000000000000",
      hasSelected: Boolean(value),
    },
  });
  const shown = (data ?? previousData)?.workspace;
  const page = shown?.storageVolumePage;
  const options: readonly PickerVolume[] = page?.nodes ?? NO_OPTIONS;
  const total = page?.totalCount ?? 0;
  const selected = shown?.selected;
  const selectedListed = !value || options.some((v) => v.id === value);

  useEffect(() => {
    if (!page || query || !onChoices) return;
    onChoices(page.totalCount, page.totalCount === 1 ? (page.nodes[0] ?? null) : null);
  }, [page, query, onChoices]);

  const chosen = value ? (options.find((v) => v.id === value) ?? (selected?.id === value ? selected : undefined)) : null;
  useEffect(() => {
    if (chosen !== undefined) onChosen?.(chosen);
  }, [chosen, onChosen]);
  useEffect(() => {
    if (page) onOptions?.(options);
  }, [page, options, onOptions]);

  const label = (v: PickerVolume) => {
    const why = refusal?.(v) ?? null;
    return `${v.name} (${formatGiB(v.sizeGiB)})${showNode ? ` — node ${v.node ?? "unknown"}` : ""}${why ? ` — ${why}` : ""}`;
  };
  const describedBy = [control["aria-describedby"], statusId].filter(Boolean).join(" ");
  return (
    <div className="volume-picker">
      <label htmlFor={searchId} className="visually-hidden">
        Search volumes
      </label>
      <input
        id={searchId}
        type="search"
        className="volume-picker-search"
        placeholder="Search volumes…"
        autoComplete="off"
        spellCheck={false}
        value={search}
        disabled={disabled}
        aria-controls={control.id}
        onChange={(e) => setSearch(e.target.value)}
      />
      <select {...control} aria-describedby={describedBy} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
        <option value="">{noneLabel}</option>
        {!selectedListed && (
          <option value={value}>
            {selected && selected.status !== "DELETED"
              ? `${selected.name} (${formatGiB(selected.sizeGiB)})${selected.status !== "AVAILABLE" ? ` — ${selected.status.toLowerCase()}` : ""}`
              : "(current volume, not available)"}
          </option>
        )}
        {options.map((v) => (
          <option key={v.id} value={v.id} disabled={refusal?.(v) != null}>
            {label(v)}
          </option>
        ))}
      </select>
      <p id={statusId} className="field-hint" aria-live="polite">
        {error
          ? `Could not load the volumes: ${error.message}`
          : loading && !page
            ? "Loading volumes…"
            : total > options.length
              ? `Showing the first ${options.length} of ${noun(total)}${query ? ` matching “${query}”` : ""}; search to narrow the list.`
              : query
                ? `${noun(total)} matching “${query}”.`
                : null}
      </p>
    </div>
  );
}
