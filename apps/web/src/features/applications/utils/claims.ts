export interface ClaimCoverage {
  coveredByBackup: boolean;
  isStorageVolume: boolean;
  /** Set by the admin's "Dismiss": the claim needs no backup and is no longer flagged. */
  dismissed?: boolean;
}

/**
 * Claims that hold application data no backup reads and nobody dismissed (Storage Volume claims are
 * destinations, not data).
 */
export function uncoveredClaimCount(claims: readonly ClaimCoverage[]): number {
  return claims.filter((c) => !c.coveredByBackup && !c.isStorageVolume && !c.dismissed).length;
}

/** "1 claim without backup", "3 claims without backup". */
export function uncoveredClaimsLabel(count: number): string {
  return `${count} ${count === 1 ? "claim" : "claims"} without backup`;
}

/** Claims that may be backed up or restored into (not the workspace's Storage Volume mounts). */
export function dataClaims<T extends { isStorageVolume: boolean }>(claims: readonly T[]): T[] {
  return claims.filter((c) => !c.isStorageVolume);
}
