import { useEffect, useState } from "react";
import { useQuery } from "@apollo/client/react";
import { FormField } from "../../../components/ui/FormField";
import { useDebouncedValue } from "../../../hooks/useDebouncedValue";
import { graphql } from "../../../gql";
import { QuotaDialog, type QuotaDialogProps } from "../../quotas/components/QuotaDialog";

/** As many StorageClass names as one answer brings; past that, the admin types to find the others. */
export const STORAGE_CLASS_PAGE = 200;
const SEARCH_DELAY_MS = 200;

/** The StorageClass names of the workspace's volumes: read when the quota dialog opens, searched by the server. */
const QuotaStorageClassesQuery = graphql(`
  query QuotaStorageClasses($workspaceId: ID!, $search: String, $first: Int!) {
    workspace(id: $workspaceId) {
      id
      storageClassNames(search: $search, first: $first)
    }
  }
`);

/**
 * The quota dialog, offering the workspace's StorageClasses. Each volume is its own StorageClass, so a workspace may
 * have thousands: the server sends the first 200 in name order, and when there are more a search box asks it for the
 * ones the admin means.
 */
export function QuotaDialogWithStorageClasses(props: Omit<QuotaDialogProps, "storageClassOptions" | "storageClassSearch">) {
  const [search, setSearch] = useState("");
  const asked = useDebouncedValue(search.trim(), SEARCH_DELAY_MS);
  const { data, previousData } = useQuery(QuotaStorageClassesQuery, {
    variables: { workspaceId: props.workspaceId, search: asked || null, first: STORAGE_CLASS_PAGE },
  });
  const names = (data ?? previousData)?.workspace.storageClassNames ?? [];
  // Shown once a list came back cut (and kept while searching, so the box does not vanish under the admin's typing).
  const [cut, setCut] = useState(false);
  useEffect(() => {
    if (!asked && names.length >= STORAGE_CLASS_PAGE) setCut(true);
  }, [asked, names.length]);
  const searchBox = cut ? (
    <FormField
      label="Find a StorageClass"
      hint={`The lists show the first ${STORAGE_CLASS_PAGE} StorageClasses in name order${asked ? ` containing “${asked}”` : ""}; type part of a name to find others.`}
    >
      {(control) => <input {...control} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />}
    </FormField>
  ) : undefined;
  return <QuotaDialog {...props} storageClassOptions={names} storageClassSearch={searchBox} />;
}
