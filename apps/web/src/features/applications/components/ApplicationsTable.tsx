import { useMemo } from "react";
import { Link } from "react-router";
import type { ResultOf } from "@graphql-typed-document-node/core";
import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import { createDataTableColumnHelper, DataTable, DataTableToolbar, useUrlDataTable } from "../../../components/data-table";
import { uncoveredClaimCount } from "../utils/claims";
import { ClaimsCoverageBadge } from "./ClaimsCoverageBadge";

export const ApplicationsTable_ApplicationFragment = graphql(`
  fragment ApplicationsTable_ApplicationFragment on Application {
    id
    name
    namespace
    backups {
      id
    }
    claims {
      name
      coveredByBackup
      dismissed
      restoredFrom
      isStorageVolume
    }
  }
`);

type ApplicationRow = ResultOf<typeof ApplicationsTable_ApplicationFragment>;

const helper = createDataTableColumnHelper<ApplicationRow>();
const SORTABLE = ["name", "namespace", "backups", "coverage"];
const FILTERABLE = new Set(["name", "namespace"]);
const APPLICATION_CARD = { badges: ["coverage"] };

export function ApplicationsTable({
  workspaceId,
  applications,
}: {
  workspaceId: string;
  applications: readonly FragmentType<typeof ApplicationsTable_ApplicationFragment>[];
}) {
  const data = useFragment(ApplicationsTable_ApplicationFragment, applications);

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("name", {
          header: "Name",
          sortFn: "alphanumeric",
          cell: (info) => (
            <Link
              className="strong"
              data-testid="application-link"
              to={`/w/${encodeURIComponent(workspaceId)}/applications/${encodeURIComponent(info.row.original.id)}/backups`}
            >
              {info.getValue()}
            </Link>
          ),
        }),
        helper.accessor("namespace", {
          header: "Namespace",
          sortFn: "alphanumeric",
          cell: (info) => <span className="mono">{info.getValue()}</span>,
        }),
        helper.accessor((a) => a.backups.length, {
          id: "backups",
          header: "Backups",
          sortFn: "basic",
          cell: (info) => <span className="num">{info.getValue()}</span>,
        }),
        helper.accessor((a) => uncoveredClaimCount(a.claims), {
          id: "coverage",
          header: "Backup coverage",
          sortFn: "basic",
          cell: (info) => <ClaimsCoverageBadge claims={info.row.original.claims} />,
        }),
      ]),
    [workspaceId],
  );

  const { table, globalFilter, onGlobalFilterChange } = useUrlDataTable({
    prefix: "a",
    sortableIds: SORTABLE,
    filterableIds: FILTERABLE,
    columns,
    data,
  });

  return (
    <div className="applications-table">
      <DataTableToolbar
        filterLabel="Filter applications"
        filterPlaceholder="Filter by name or namespace…"
        filter={globalFilter}
        onFilterChange={onGlobalFilterChange}
        count={data.length}
        noun={{ one: "application", other: "applications" }}
      />
      <DataTable
        table={table}
        label="Applications"
        rowTestId="application-row"
        cardLayout={APPLICATION_CARD}
        empty={<span className="muted">No applications in this workspace yet.</span>}
        noMatches={<span className="muted">No applications match “{globalFilter}”.</span>}
      />
    </div>
  );
}
