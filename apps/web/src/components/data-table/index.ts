export { DataTable } from "./DataTable";
export type { DataTableProps } from "./DataTable";
export { TableFilterInput } from "./TableFilterInput";
export { useUrlTableState } from "./useUrlTableState";
export { dataTableFeatures, createDataTableColumnHelper } from "./features";
export type { DataTableFeatures } from "./features";
