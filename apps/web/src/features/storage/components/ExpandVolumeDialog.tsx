import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { Dialog } from "../../../components/ui/Dialog";
import { FormErrors } from "../../../components/ui/FormErrors";
import { Quote, QuoteRow } from "../../../components/ui/Quote";
import { splitErrorsByField, toUserErrors } from "../../../lib/graphql-errors";
import { ExpandStorageVolumeMutation } from "../graphql/volume-mutations";
import { useIdempotencyKey } from "../hooks/useIdempotencyKey";
import { useStorageSummaryRefresh } from "../hooks/useStorageSummaryRefresh";
import { formatMoney, monthlyCostFor } from "../utils/money";
import { formatGiB, parseSize, toSizeFieldValue, type SizeUnit } from "../utils/size";
import { SizeField } from "./SizeField";

export interface ExpandVolumeDialogProps {
  workspaceId: string;
  volume: { id: string; name: string; sizeGiB: number; monthlyCost: number; currency: string };
  pricePerGiBMonth: number;
  availableGiB: number;
  planLimitGiB: number;
  onClose: () => void;
}

export function ExpandVolumeDialog({
  workspaceId,
  volume,
  pricePerGiBMonth,
  availableGiB,
  planLimitGiB,
  onClose,
}: ExpandVolumeDialogProps) {
  const initial = toSizeFieldValue(volume.sizeGiB);
  const [sizeText, setSizeText] = useState(initial.value);
  const [unit, setUnit] = useState<SizeUnit>(initial.unit);
  const [touched, setTouched] = useState(false);
  const [serverErrors, setServerErrors] = useState<{ byField: Record<string, string>; general: string[] }>({
    byField: {},
    general: [],
  });
  const [idempotencyKey, renewKey] = useIdempotencyKey();
  const rejectedRef = useRef(false);
  const inFlight = useRef(false);
  const refreshSummary = useStorageSummaryRefresh(workspaceId, 0);
  const [expand, { loading }] = useMutation(ExpandStorageVolumeMutation);

  const size = parseSize(sizeText, unit);
  const delta = size.ok ? size.gib - volume.sizeGiB : null;
  const clientError = !size.ok
    ? size.error
    : size.gib <= volume.sizeGiB
      ? `The new size must be larger than the current ${formatGiB(volume.sizeGiB)}.`
      : delta !== null && delta > availableGiB
        ? `Over your plan's ceiling: you can add at most ${formatGiB(availableGiB)} (ceiling ${formatGiB(planLimitGiB)}).`
        : null;
  const sizeMessage = touched && clientError ? clientError : (serverErrors.byField["sizeGiB"] ?? null);

  function edited() {
    setTouched(true);
    setServerErrors({ byField: {}, general: [] });
    if (rejectedRef.current) {
      rejectedRef.current = false;
      renewKey();
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (clientError || !size.ok || inFlight.current) return;
    inFlight.current = true;
    try {
      await expand({ variables: { input: { id: volume.id, sizeGiB: size.gib, idempotencyKey } } });
      refreshSummary();
      onClose();
    } catch (err) {
      rejectedRef.current = CombinedGraphQLErrors.is(err);
      setServerErrors(splitErrorsByField(toUserErrors(err), ["sizeGiB"]));
    } finally {
      inFlight.current = false;
    }
  }

  const newCost = size.ok ? monthlyCostFor(size.gib, pricePerGiBMonth) : null;
  const costDelta = newCost !== null ? Math.round((newCost - volume.monthlyCost) * 100) / 100 : null;

  return (
    <Dialog
      title={`Expand ${volume.name}`}
      onClose={onClose}
      testId="expand-volume-dialog"
      description={`Currently ${formatGiB(volume.sizeGiB)}. Volumes can grow but not shrink.`}
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormErrors messages={serverErrors.general} />
        <SizeField
          label="New size"
          value={sizeText}
          unit={unit}
          autoFocus
          onValueChange={(v) => {
            setSizeText(v);
            edited();
          }}
          onUnitChange={(u) => {
            setUnit(u);
            edited();
          }}
          error={sizeMessage}
        />
        <Quote label="Cost change" testId="expand-volume-quote">
          <QuoteRow term="Added capacity">{delta !== null && delta > 0 ? `+${formatGiB(delta)}` : "—"}</QuoteRow>
          <QuoteRow term="Cost change">
            {costDelta !== null && delta !== null && delta > 0
              ? `+${formatMoney(costDelta, volume.currency)} / month (${formatMoney(volume.monthlyCost, volume.currency)} → ${formatMoney(newCost ?? 0, volume.currency)})`
              : "—"}
          </QuoteRow>
          <QuoteRow term="Headroom under plan ceiling">
            {delta !== null && delta > 0
              ? `${formatGiB(Math.max(0, availableGiB - delta))} left after expanding`
              : `${formatGiB(availableGiB)} available`}
          </QuoteRow>
        </Quote>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={loading || (touched && clientError !== null)}>
            {loading ? "Expanding…" : "Expand"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
