import { useId, useRef, useState } from "react";
import type { FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { useInvalidFieldFocus } from "../../../components/a11y/useInvalidFieldFocus";
import { Dialog } from "../../../components/ui/Dialog";
import { FormErrors } from "../../../components/ui/FormErrors";
import { Quote, QuoteRow } from "../../../components/ui/Quote";
import { splitErrorsByField, toUserErrors } from "../../../lib/graphql-errors";
import { CreateStorageVolumeMutation } from "../graphql/volume-mutations";
import { useIdempotencyKey } from "../hooks/useIdempotencyKey";
import { useStorageSummaryRefresh } from "../hooks/useStorageSummaryRefresh";
import { formatMoney, monthlyCostFor } from "../utils/money";
import { formatGiB, formatGiBExact, parseSize, type SizeUnit } from "../utils/size";
import { upsertVolumeInWorkspaceLists } from "../utils/volume-cache";
import { VOLUME_NAME_MAX_LENGTH, validateVolumeName } from "../utils/volume-name";
import { SizeField } from "./SizeField";

export interface CreateVolumeDialogProps {
  workspaceId: string;
  pricePerGiBMonth: number;
  currency: string;
  availableGiB: number;
  planLimitGiB: number;
  onClose: () => void;
}

const FORM_FIELDS = ["name", "sizeGiB"] as const;

export function CreateVolumeDialog({
  workspaceId,
  pricePerGiBMonth,
  currency,
  availableGiB,
  planLimitGiB,
  onClose,
}: CreateVolumeDialogProps) {
  const nameId = useId();
  const nameErrId = useId();
  const nameHintId = useId();
  const [name, setName] = useState("");
  const [sizeText, setSizeText] = useState("");
  const [unit, setUnit] = useState<SizeUnit>("GiB");
  const [attempted, setAttempted] = useState(false);
  const [serverErrors, setServerErrors] = useState<{ byField: Record<string, string>; general: string[] }>({
    byField: {},
    general: [],
  });
  const [idempotencyKey, renewKey] = useIdempotencyKey();
  const rejectedRef = useRef(false);
  const inFlight = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);
  const refused = useInvalidFieldFocus(formRef);
  const refreshSummary = useStorageSummaryRefresh(workspaceId, 0);

  const [createVolume, { loading }] = useMutation(CreateStorageVolumeMutation, {
    update(cache, { data }) {
      const v = data?.createStorageVolume;
      if (v) upsertVolumeInWorkspaceLists(cache, v);
    },
  });

  const nameError = validateVolumeName(name);
  const size = parseSize(sizeText, unit);
  const sizeError = !size.ok
    ? size.error
    : size.gib > availableGiB
      ? `Over your plan's ceiling: ${formatGiB(availableGiB)} of ${formatGiB(planLimitGiB)} is still available.`
      : null;

  const showNameError = (attempted || name.length > 0) && nameError;
  const showSizeError = (attempted || sizeText.length > 0) && sizeError;
  const nameMessage = showNameError ? nameError : (serverErrors.byField["name"] ?? null);
  const sizeMessage = showSizeError ? sizeError : (serverErrors.byField["sizeGiB"] ?? null);

  function edited() {
    setServerErrors((prev) => (Object.keys(prev.byField).length || prev.general.length ? { byField: {}, general: [] } : prev));
    if (rejectedRef.current) {
      rejectedRef.current = false;
      renewKey();
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setAttempted(true);
    if (inFlight.current) return;
    if (nameError || !size.ok || sizeError) return refused();
    inFlight.current = true;
    try {
      await createVolume({
        variables: { input: { workspaceId, name, sizeGiB: size.gib, idempotencyKey } },
      });
      refreshSummary();
      onClose();
    } catch (err) {
      rejectedRef.current = CombinedGraphQLErrors.is(err);
      setServerErrors(splitErrorsByField(toUserErrors(err), FORM_FIELDS));
      refused();
    } finally {
      inFlight.current = false;
    }
  }

  const cost = size.ok ? monthlyCostFor(size.gib, pricePerGiBMonth) : null;
  const headroomAfter = size.ok ? availableGiB - size.gib : null;

  return (
    <Dialog
      title="New volume"
      onClose={onClose}
      testId="create-volume-dialog"
      description="Provision block storage from Proxmox. It appears in your cluster as its own StorageClass and PersistentVolume."
    >
      <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate>
        <FormErrors messages={serverErrors.general} />
        <div className="field">
          <label htmlFor={nameId}>Name</label>
          <input
            id={nameId}
            type="text"
            autoComplete="off"
            spellCheck={false}
            autoFocus
            maxLength={VOLUME_NAME_MAX_LENGTH + 10}
            value={name}
            aria-invalid={nameMessage ? true : undefined}
            aria-describedby={`${nameMessage ? nameErrId : ""} ${nameHintId}`.trim()}
            onChange={(e) => {
              setName(e.target.value);
              edited();
            }}
          />
          <p id={nameHintId} className="field-hint">
            Lowercase letters, digits and &apos;-&apos;; start and end with a letter or digit; at most {VOLUME_NAME_MAX_LENGTH} characters.
          </p>
          {nameMessage && (
            <p id={nameErrId} className="field-error">
              {nameMessage}
            </p>
          )}
        </div>
        <SizeField
          label="Size"
          value={sizeText}
          unit={unit}
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
        <Quote label="Cost and headroom" testId="create-volume-quote">
          <QuoteRow term="Monthly cost">{cost === null ? "—" : `${formatMoney(cost, currency)} / month`}</QuoteRow>
          <QuoteRow
            term="Headroom under plan ceiling"
            valueClassName={headroomAfter !== null && headroomAfter < 0 ? "text-danger" : undefined}
          >
            {headroomAfter === null
              ? `${formatGiB(availableGiB)} available of ${formatGiB(planLimitGiB)}`
              : headroomAfter >= 0
                ? `${formatGiBExact(headroomAfter)} left after this volume (of ${formatGiB(planLimitGiB)})`
                : `${formatGiBExact(-headroomAfter)} over the ceiling`}
          </QuoteRow>
          <QuoteRow term="Price">{formatMoney(pricePerGiBMonth, currency)} per GiB per month</QuoteRow>
        </Quote>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={loading || Boolean(showNameError) || Boolean(showSizeError)}>
            {loading ? "Creating…" : "Create"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
