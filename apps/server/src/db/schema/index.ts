export * from "./workspaces.js";
export * from "./volumes.js";
export * from "./billing.js";
export * from "./applications.js";
export * from "./backups.js";
export * from "./monitoring.js";
export * from "./events.js";
export * from "./repository-keys.js";
