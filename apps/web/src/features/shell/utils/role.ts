import type { Role } from "../../../gql/graphql";

export function roleLabel(role: Role): string {
  return role === "ADMIN" ? "Workspace Admin" : "Member";
}
