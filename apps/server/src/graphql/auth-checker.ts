import type { AuthChecker } from "type-graphql";
import type { Context } from "./context.js";
import { ErrorCode, DomainError } from "../kernel/errors.js";
import { ANONYMOUS } from "../kernel/viewer.js";

/**
 * Guards every root field: `@Authorized()` needs a signed-in viewer; workspace roles are checked
 * by the services, which know which workspace an operation touches.
 */
export const authChecker: AuthChecker<Context> = ({ context }, roles) => {
  if (roles.includes(ANONYMOUS)) return true;
  if (!context.viewer) {
    throw new DomainError(ErrorCode.UNAUTHENTICATED, context.authError ?? "Sign in to continue: the request carries no token.");
  }
  return true;
};
