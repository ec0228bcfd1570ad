import { gql, InMemoryCache } from "@apollo/client";
import { describe, expect, it } from "vitest";
import { setLastRestore } from "./restore-point-cache";

const POINT = gql`
  fragment P on RestorePoint {
    id
    lastRestore {
      id
      status
    }
  }
`;

function cacheWithPoint(): InMemoryCache {
  const cache = new InMemoryCache();
  cache.writeFragment({ fragment: POINT, data: { __typename: "RestorePoint", id: "point-1", lastRestore: null } });
  cache.writeFragment({
    fragment: gql`
      fragment R on BackupRun {
        id
        status
      }
    `,
    data: { __typename: "BackupRun", id: "restore-1", status: "SCHEDULED" },
  });
  return cache;
}

const lastRestoreOf = (cache: InMemoryCache) =>
  cache.readFragment<{ lastRestore: { id: string; status: string } | null }>({ fragment: POINT, id: "RestorePoint:point-1" })?.lastRestore;

describe("setLastRestore", () => {
  it("makes a restore just started the lastRestore of the point it reads", () => {
    const cache = cacheWithPoint();
    setLastRestore(cache, { id: "restore-1", kind: "RESTORE", sourceRunId: "point-1" });
    expect(lastRestoreOf(cache)).toEqual({ __typename: "BackupRun", id: "restore-1", status: "SCHEDULED" });
  });

  it("leaves the point alone for a run that is no restore, or a restore of another point", () => {
    const cache = cacheWithPoint();
    setLastRestore(cache, { id: "restore-1", kind: "VERIFY", sourceRunId: "point-1" });
    setLastRestore(cache, { id: "restore-1", kind: "RESTORE", sourceRunId: "point-2" });
    expect(lastRestoreOf(cache)).toBeNull();
  });
});
