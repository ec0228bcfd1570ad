import { useQuery } from "@apollo/client/react";
import { graphql } from "../../../gql";
import { QuotaDialog, type QuotaDialogProps } from "../../quotas/components/QuotaDialog";

/** The StorageClass names of the workspace's volumes: read when the quota dialog opens, not with the Storage page. */
const QuotaStorageClassesQuery = graphql(`
  query QuotaStorageClasses($workspaceId: ID!) {
    workspace(id: $workspaceId) {
      id
      storageVolumes {
        id
        storageClassName
      }
    }
  }
`);

/** The quota dialog, offering the workspace's StorageClasses (the ones in use show as soon as they are read). */
export function QuotaDialogWithStorageClasses(props: Omit<QuotaDialogProps, "storageClassOptions">) {
  const { data } = useQuery(QuotaStorageClassesQuery, { variables: { workspaceId: props.workspaceId } });
  const options = Array.from(
    new Set((data?.workspace.storageVolumes ?? []).map((v) => v.storageClassName).filter((n): n is string => Boolean(n))),
  ).sort();
  return <QuotaDialog {...props} storageClassOptions={options} />;
}
