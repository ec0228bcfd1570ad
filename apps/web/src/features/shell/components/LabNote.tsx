import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";

export const LabNote_PlatformFragment = graphql(`
  fragment LabNote_PlatformFragment on Platform {
    lab
    note
  }
`);

/**
 * Said once, on every page, when the product runs on the lab: its volumes are scaled down, and every size shown
 * (volumes, usage, runs, logs) is in its units.
 */
export function LabNote({ platform }: { platform: FragmentType<typeof LabNote_PlatformFragment> }) {
  const { lab, note } = useFragment(LabNote_PlatformFragment, platform);
  if (!lab || !note) return null;
  return (
    <p className="lab-note" role="note" data-testid="lab-note">
      {note}
    </p>
  );
}
