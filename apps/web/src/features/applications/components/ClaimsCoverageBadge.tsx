import { uncoveredClaimCount, uncoveredClaimsLabel, type ClaimCoverage } from "../utils/claims";

/** "N claims without backup" (amber), or a quiet note when every data claim is covered. */
export function ClaimsCoverageBadge({ claims }: { claims: readonly ClaimCoverage[] }) {
  const uncovered = uncoveredClaimCount(claims);
  const data = claims.filter((c) => !c.isStorageVolume).length;
  if (uncovered > 0) {
    return (
      <span className="badge tone-warn" data-testid="uncovered-claims-badge">
        <span aria-hidden="true">⚠</span>
        {uncoveredClaimsLabel(uncovered)}
      </span>
    );
  }
  return <span className="muted small">{data === 0 ? "No claims" : "All claims backed up"}</span>;
}
