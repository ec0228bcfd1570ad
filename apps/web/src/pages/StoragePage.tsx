import { Link, useParams } from "react-router";
import { useQuery } from "@apollo/client/react";
import { StoragePageQuery } from "../features/storage/graphql/storage-page";
import { StorageSection } from "../features/storage/components/StorageSection";
import { ErrorState } from "../components/ui/PageState";
import { toUserErrors } from "../lib/graphql-errors";

/** The Storage section; its route started this query and the table's first page as it was entered (prefetchStorage). */
export function StoragePage() {
  const { workspaceId = "" } = useParams();
  const { data, error } = useQuery(StoragePageQuery, { variables: { workspaceId } });

  if (error && !data) {
    const [first] = toUserErrors(error);
    const notYours = first?.code === "NOT_FOUND" || first?.code === "FORBIDDEN";
    return (
      <ErrorState
        title={notYours ? "Workspace not available" : "Could not load storage"}
        message={first?.message ?? "Something went wrong."}
        action={<Link to="/">Go to your first workspace</Link>}
      />
    );
  }
  return <StorageSection key={workspaceId} workspaceId={workspaceId} workspace={data?.workspace ?? null} alerts={data?.capacityAlerts} />;
}
