import type { Auth } from "./auth.js";
import { paramError } from "./errors.js";
import type { Checked, ParamSpec, Schema } from "./params.js";
import type { LabState } from "./state.js";
import type { TaskManager } from "./tasks.js";

export interface LabContext {
  state: LabState;
  tasks: TaskManager;
  auth: Auth;
  startedAt: number;
}

export interface RouteCall {
  lab: LabContext;
  user: string;
  p: Checked;
}

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  pattern: string;
  /** Routes reachable without credentials (only the login itself). */
  anonymous?: boolean;
  schema: Schema;
  dynamic?: (name: string) => ParamSpec | undefined;
  handle(call: RouteCall): unknown;
}

/** Login failures are 401s like the auth layer's, not PVE error envelopes. */
export class UnauthorizedError extends Error {}

// Parameter formats shared by the API's paths, as pve-common declares them.
export const node: ParamSpec = { type: "string", pattern: /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/ };
export const storage: ParamSpec = { type: "string", pattern: /^[a-zA-Z][a-zA-Z0-9\-_.]*[a-zA-Z0-9]$/ };
export const vmid: ParamSpec = { type: "integer", vmid: true };
export const optVmid: ParamSpec = { type: "integer", vmid: true, optional: true };
export const optBool: ParamSpec = { type: "boolean", optional: true };
export const optStr: ParamSpec = { type: "string", optional: true };
export const optInt: ParamSpec = { type: "integer", optional: true, minimum: 0 };

export const GiB = 1024 ** 3;

/** A PVE parameter error (HTTP 400 with `errors.<name>`). */
export function paramErr(name: string, message: string): Error {
  return paramError({ [name]: message });
}
