import { describe, expect, it } from "vitest";
import { formatMessageTime } from "./message-time";

describe("formatMessageTime", () => {
  const now = new Date(2025, 0, 5, 18, 0);

  it("shows only the time for today's messages", () => {
    expect(formatMessageTime(new Date(2025, 0, 5, 14, 5).toISOString(), now)).toBe("14:05");
  });

  it("adds the date for older messages", () => {
    expect(formatMessageTime(new Date(2025, 0, 3, 9, 30).toISOString(), now)).toBe("3 Jan, 09:30");
  });

  it("is empty for an unparsable time", () => {
    expect(formatMessageTime("nope", now)).toBe("");
  });
});
