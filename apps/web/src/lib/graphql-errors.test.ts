import { describe, expect, it } from "vitest";
import { splitErrorsByField, toUserErrorFromFormatted } from "./graphql-errors";

describe("toUserErrorFromFormatted", () => {
  it("reads code and field from extensions", () => {
    expect(
      toUserErrorFromFormatted({
        message: "Name already used",
        extensions: { code: "CONFLICT", field: "name" },
      }),
    ).toEqual({ code: "CONFLICT", message: "Name already used", field: "name" });
  });
  it("maps unknown codes to UNKNOWN", () => {
    expect(toUserErrorFromFormatted({ message: "boom", extensions: { code: "INTERNAL_SERVER_ERROR" } })).toEqual({
      code: "UNKNOWN",
      message: "boom",
    });
  });
});

describe("splitErrorsByField", () => {
  it("routes known fields to the form and the rest to the dialog", () => {
    const r = splitErrorsByField(
      [
        { code: "INVALID_INPUT", message: "bad name", field: "name" },
        { code: "QUOTA_EXCEEDED", message: "over ceiling", field: "sizeGiB" },
        { code: "PLAN_REQUIRED", message: "needs plan" },
        { code: "INVALID_INPUT", message: "other", field: "workspaceId" },
      ],
      ["name", "sizeGiB"],
    );
    expect(r.byField).toEqual({ name: "bad name", sizeGiB: "over ceiling" });
    expect(r.general).toEqual(["needs plan", "other"]);
  });
});
