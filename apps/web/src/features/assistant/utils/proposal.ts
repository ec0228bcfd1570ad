import type { ProposalState } from "../../../gql/graphql";

export interface ProposalLike {
  state: ProposalState;
  suggestedSizeGiB: number;
  sizeGiB?: number | null;
}

/** The size an accepted proposal expands to: the one the admin chose, else the suggested one. */
export function chosenSizeGiB(p: ProposalLike): number {
  return p.sizeGiB ?? p.suggestedSizeGiB;
}

/** What became of a proposal that is no longer waiting for an answer; null while it is PENDING. */
export function proposalOutcome(p: ProposalLike): string | null {
  switch (p.state) {
    case "PENDING":
      return null;
    case "ACCEPTED":
      return "Expanding…";
    case "SUCCEEDED":
      return `Expanded to ${chosenSizeGiB(p)} GiB`;
    case "FAILED":
      return "Expansion failed";
    case "DECLINED":
      return "Dismissed";
    case "STALE":
      return "Superseded";
  }
}

/** The badge tone of a proposal's outcome. */
export function proposalTone(state: ProposalState): "ok" | "warn" | "danger" | "busy" | "neutral" {
  switch (state) {
    case "SUCCEEDED":
      return "ok";
    case "FAILED":
      return "danger";
    case "ACCEPTED":
      return "busy";
    case "PENDING":
      return "warn";
    default:
      return "neutral";
  }
}

export type OtherSize = { ok: true; sizeGiB: number } | { ok: false; error: string };

/** Reads the "Other size" field: a whole number of GiB larger than the volume is now. */
export function parseOtherSize(text: string, fromSizeGiB: number): OtherSize {
  const t = text.trim();
  if (!t) return { ok: false, error: "Enter a size in GiB." };
  if (!/^\d+$/.test(t)) return { ok: false, error: "Enter a whole number of GiB." };
  const sizeGiB = Number(t);
  if (sizeGiB <= fromSizeGiB) return { ok: false, error: `Enter more than the current ${fromSizeGiB} GiB.` };
  if (sizeGiB > 2_147_483_647) return { ok: false, error: "That size is too large." };
  return { ok: true, sizeGiB };
}
