export { operationsPlugin, recordOperation, type OperationRecord } from "./graphql-operations.js";
export { HealthChecks, readJournal, type Readiness } from "./health.js";
export * from "./metrics.js";
export { OPERATIONAL_PATHS, READINESS_TIMEOUT_MS } from "./paths.js";
export { mountOperationalRoutes } from "./routes.js";
export { announceReady, type Ready } from "./banner.js";
