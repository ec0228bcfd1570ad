import { describe, expect, it } from "vitest";
import { readIntent } from "./reply.js";

describe("reading an admin's answer", () => {
  it.each([
    ["yes", { kind: "accept" }],
    ["Yes please", { kind: "accept" }],
    ["ok", { kind: "accept" }],
    ["expand to 750 GiB", { kind: "accept", sizeGiB: 750 }],
    ["make it 1 TiB", { kind: "accept", sizeGiB: 1024 }],
    ["no", { kind: "decline" }],
    ["Not now", { kind: "decline" }],
    ["what does this cost?", { kind: "unknown" }],
    ["500", { kind: "unknown" }],
  ])("%s", (text, intent) => {
    expect(readIntent(text)).toEqual(intent);
  });
});
