import type { RemedyKind } from "../../../gql/graphql";

/**
 * The other fixes of a backup run that did not fit, offered next to the expansion: each was checked by the assistant
 * to work (what lowering retention frees, a volume with room), and choosing one changes the Backup as its form would.
 */
export function RemedyButtons({
  remedies,
  busy,
  onChoose,
}: {
  remedies: ReadonlyArray<{ kind: RemedyKind; label: string }> | null | undefined;
  busy: boolean;
  onChoose: (kind: RemedyKind) => void;
}) {
  if (!remedies?.length) return null;
  return (
    <div className="proposal-buttons" role="group" aria-label="Or fix the backup instead" data-testid="proposal-remedies">
      {remedies.map((r) => (
        <button key={r.kind} type="button" className="btn btn-small" aria-disabled={busy || undefined} onClick={() => onChoose(r.kind)}>
          {r.label}
        </button>
      ))}
    </div>
  );
}

/** What became of a proposal answered with one of its other fixes. */
export function remedyOutcome(p: { state: string; applied?: RemedyKind | null }): string | null {
  if (p.state !== "SUCCEEDED" || !p.applied) return null;
  return p.applied === "LOWER_RETENTION" ? "Retention lowered" : "Backup moved";
}
