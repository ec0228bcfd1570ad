import { describe, expect, it } from "vitest";
import { copyCreateInput, copyUpdateInput, copyVolumeRefusal, validateCopyDraft } from "./off-node-copy";

const a = { id: "a", name: "vol-a", sizeGiB: 10, node: "pve1" };
const b = { id: "b", name: "vol-b", sizeGiB: 10, node: "pve2" };
const c = { id: "c", name: "vol-c", sizeGiB: 10, node: "pve1" };

describe("the off-node copy in the backup form", () => {
  it("offers only volumes on another node than the destination, and says why not the others", () => {
    expect(copyVolumeRefusal(b, a)).toBeNull();
    expect(copyVolumeRefusal(c, a)).toBe("same node as the destination (pve1)");
    expect(copyVolumeRefusal(a, a)).toBe("it is the destination");
  });

  it("checks the draft and turns it into the inputs", () => {
    expect(validateCopyDraft({ volumeId: "", path: "" }, "PLAIN")).toEqual({});
    expect(validateCopyDraft({ volumeId: "b", path: "x" }, "PLAIN")).toHaveProperty("copyDestination.volumeId");
    expect(validateCopyDraft({ volumeId: "b", path: " " }, "RESTIC")).toHaveProperty("copyDestination.path");
    expect(copyCreateInput({ volumeId: "b", path: " shop/db " })).toEqual({ copyDestination: { volumeId: "b", path: "shop/db" } });
    expect(copyCreateInput({ volumeId: "", path: "shop/db" })).toEqual({});
    expect(copyUpdateInput({ volumeId: "", path: "" }, true)).toEqual({ removeCopyDestination: true });
    expect(copyUpdateInput({ volumeId: "", path: "" }, false)).toEqual({});
  });
});
