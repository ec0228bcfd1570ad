export * from "./workspaces.js";
export * from "./volumes.js";
export * from "./billing.js";
