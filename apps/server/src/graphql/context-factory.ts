import type { Services } from "../services.js";
import type { Context } from "./context.js";
import { DomainError } from "../kernel/errors.js";

/** Who presented an Authorization value: a viewer, nobody, or nobody with the reason their token proved nothing. */
export type Authentication = Pick<Context, "viewer" | "authError">;

/** Resolves an Authorization value once (per request, or per graphql-ws connection). */
export async function authenticate(services: Services, authorization: unknown): Promise<Authentication> {
  try {
    return { viewer: await services.auth.viewerFromAuthorization(typeof authorization === "string" ? authorization : undefined) };
  } catch (error) {
    if (error instanceof DomainError) return { viewer: null, authError: error.message };
    throw error;
  }
}

/** A context for one operation (or one subscription event) of an authenticated caller, with loaders of its own. */
export function contextFor(services: Services, authentication: Authentication): Context {
  const context: Context = { viewer: authentication.viewer, services, loaders: loaders(services) };
  if (authentication.authError !== undefined) context.authError = authentication.authError;
  return context;
}

/** Builds a request's context from its Authorization value. */
export async function createContext(services: Services, authorization: unknown): Promise<Context> {
  return contextFor(services, await authenticate(services, authorization));
}

const loaders = (services: Services): Context["loaders"] => ({ usage: services.monitoring.usageLoader() });
