import type { AuthChecker } from "type-graphql";
import type { Context } from "./context.js";
import { ErrorCode, UserError } from "./errors.js";

/** The one role a root field may carry to be reachable without signing in (e.g. `login`). */
export const ANONYMOUS = "ANONYMOUS";

/**
 * Guards every root field: `@Authorized()` needs a signed-in viewer; workspace roles are checked
 * by the services, which know which workspace an operation touches.
 */
export const authChecker: AuthChecker<Context> = ({ context }, roles) => {
  if (roles.includes(ANONYMOUS)) return true;
  if (!context.viewer) {
    throw new UserError(ErrorCode.UNAUTHENTICATED, context.authError ?? "Sign in to continue: the request carries no token.");
  }
  return true;
};
