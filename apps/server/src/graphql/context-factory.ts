import type { Services } from "../services.js";
import type { Context } from "./context.js";
import { UserError } from "./errors.js";

/** Builds a request's (or a graphql-ws connection's) context from its Authorization value. */
export async function createContext(services: Services, authorization: unknown): Promise<Context> {
  try {
    const viewer = await services.auth.viewerFromAuthorization(typeof authorization === "string" ? authorization : undefined);
    return { viewer, services, loaders: loaders(services) };
  } catch (error) {
    if (error instanceof UserError) return { viewer: null, authError: error.message, services, loaders: loaders(services) };
    throw error;
  }
}

const loaders = (services: Services): Context["loaders"] => ({ usage: services.monitoring.usageLoader() });
