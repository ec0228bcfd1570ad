import { print } from "graphql";
import { describe, expect, it } from "vitest";
import { MAX_POLLED_ROWS, volumeRowsRefreshQuery, volumeRowsVariables } from "./volume-rows-query";

describe("the usage poll's query", () => {
  it("reads each row on screen once, aliased, with the table's fields", () => {
    const text = print(volumeRowsRefreshQuery(3));
    expect(text).toContain("query VolumeRowsRefresh($workspaceId: ID!, $v0: ID!, $v1: ID!, $v2: ID!)");
    expect(text).toMatch(/v0: storageVolume\(id: \$v0\) \{\s+id\s+\.\.\.VolumesTable_StorageVolumeFragment/);
    expect(text).toContain("v2: storageVolume(id: $v2)");
    expect(text).not.toContain("$volumeId");
    expect(text).not.toContain("v3:");
    expect(text).toContain("fragment VolumesTable_StorageVolumeFragment on StorageVolume");
    expect(text).toMatch(/usage \{\s+usedBytes/);
  });

  it("hands back the same document for the same number of rows", () => {
    expect(volumeRowsRefreshQuery(12)).toBe(volumeRowsRefreshQuery(12));
    expect(volumeRowsRefreshQuery(12)).not.toBe(volumeRowsRefreshQuery(13));
  });

  it("names each row's variable after its alias", () => {
    expect(volumeRowsVariables("ws-1", ["a", "b"])).toEqual({ workspaceId: "ws-1", v0: "a", v1: "b" });
  });

  it("refuses more rows than one poll reads", () => {
    expect(() => volumeRowsRefreshQuery(MAX_POLLED_ROWS + 1)).toThrow(RangeError);
    expect(() => volumeRowsRefreshQuery(0)).toThrow(RangeError);
  });
});
