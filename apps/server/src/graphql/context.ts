import type { RequestContext } from "../kernel/context.js";
import type { Services } from "../services.js";

export type { Viewer, WorkspaceRole } from "../kernel/viewer.js";

/** The context every operation runs with: all services, and the per-request batch loaders. */
export type Context = RequestContext<Services, { usage: ReturnType<Services["monitoring"]["usageLoader"]> }>;
