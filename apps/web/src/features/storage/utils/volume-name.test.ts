import { describe, expect, it } from "vitest";
import { suggestVolumeName, validateVolumeName } from "./volume-name";

describe("validateVolumeName", () => {
  it("accepts DNS-1123 labels", () => {
    expect(validateVolumeName("data")).toBeNull();
    expect(validateVolumeName("backup-vol-1")).toBeNull();
    expect(validateVolumeName("1a")).toBeNull();
    expect(validateVolumeName("a".repeat(63))).toBeNull();
  });

  it("refuses empty and too-long names", () => {
    expect(validateVolumeName("")).toMatch(/Enter a name/);
    expect(validateVolumeName("a".repeat(64))).toMatch(/at most 63/);
  });

  it("refuses uppercase, underscores, dots and spaces", () => {
    expect(validateVolumeName("Data")).toMatch(/lowercase/);
    expect(validateVolumeName("my_data")).toMatch(/"_"/);
    expect(validateVolumeName("my.data")).toMatch(/"\."/);
    expect(validateVolumeName("my data")).toMatch(/spaces/);
  });

  it("names every problem at once, with a name that would do", () => {
    expect(validateVolumeName("Backup_Vol")).toBe(
      `Use lowercase letters only, and only letters, digits and '-' (not "_"). Try "backup-vol".`,
    );
  });

  it("refuses names that start or end with '-'", () => {
    expect(validateVolumeName("-data")).toMatch(/Start/);
    expect(validateVolumeName("data-")).toMatch(/End/);
  });
});

describe("suggestVolumeName", () => {
  it("turns free text into a valid label", () => {
    expect(suggestVolumeName("My Data_1")).toBe("my-data-1");
    expect(validateVolumeName(suggestVolumeName("--Hello World!--"))).toBeNull();
  });
});
