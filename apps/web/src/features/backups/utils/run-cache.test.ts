import { gql } from "@apollo/client";
import { describe, expect, it } from "vitest";
import { createCache } from "../../../app/apollo-client";
import { addBackupToApplication, removeBackupFromApplication } from "./run-cache";

const PAGE = gql`
  query BackupPageTest($id: ID!, $after: String) {
    application(id: $id) {
      id
      backupPage(first: 2, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          name
        }
      }
    }
  }
`;

const backup = (name: string) => ({ __typename: "Backup", id: `id-${name}`, name });
const page = (names: string[], total: number, end: string | null) => ({
  application: {
    __typename: "Application",
    id: "app",
    backupPage: {
      __typename: "BackupPage",
      totalCount: total,
      pageInfo: { __typename: "PageInfo", hasNextPage: end !== null, endCursor: end },
      nodes: names.map(backup),
    },
  },
});
type Read = { application: { backupPage: { totalCount: number; nodes: Array<{ name: string }>; pageInfo: { hasNextPage: boolean } } } };
const names = (cache: ReturnType<typeof createCache>) => {
  const read = cache.readQuery<Read>({ query: PAGE, variables: { id: "app", after: null } })!.application.backupPage;
  return { names: read.nodes.map((n) => n.name), total: read.totalCount, more: read.pageInfo.hasNextPage };
};

describe("an application's backups in the cache, a page at a time", () => {
  it("appends a later page, and a re-read of the first page replaces the list", () => {
    const cache = createCache();
    cache.writeQuery({ query: PAGE, variables: { id: "app", after: null }, data: page(["a", "b"], 3, "cursor-b") });
    cache.writeQuery({ query: PAGE, variables: { id: "app", after: "cursor-b" }, data: page(["c"], 3, null) });
    expect(names(cache)).toEqual({ names: ["a", "b", "c"], total: 3, more: false });

    cache.writeQuery({ query: PAGE, variables: { id: "app", after: null }, data: page(["a", "b"], 3, "cursor-b") });
    expect(names(cache)).toEqual({ names: ["a", "b"], total: 3, more: true });
  });

  it("adds a created backup once and takes a deleted one out, the total following", () => {
    const cache = createCache();
    cache.writeQuery({ query: PAGE, variables: { id: "app", after: null }, data: page(["a", "b"], 2, null) });
    cache.writeFragment({
      id: "Backup:id-z",
      fragment: gql`
        fragment B on Backup {
          id
          name
        }
      `,
      data: backup("z"),
    });

    addBackupToApplication(cache, { id: "id-z", applicationId: "app" });
    addBackupToApplication(cache, { id: "id-z", applicationId: "app" });
    expect(names(cache)).toEqual({ names: ["a", "b", "z"], total: 3, more: false });

    removeBackupFromApplication(cache, { id: "id-a", applicationId: "app" });
    expect(names(cache)).toEqual({ names: ["b", "z"], total: 2, more: false });
  });
});
