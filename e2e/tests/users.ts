export const USERS = {
  admin: "admin@acme.test",
  member: "dev@acme.test",
  globex: "admin@globex.test",
} as const;
export type Who = keyof typeof USERS;
/** Where the setup project keeps each user's signed-in browser state. */
export const statePath = (who: Who) => `.auth/${who}.json`;
