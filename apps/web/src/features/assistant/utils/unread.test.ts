import { describe, expect, it } from "vitest";
import { appendNew, newestMessageId, unreadBadgeText } from "./unread";

type MessageLike = { id: string; author: "ASSISTANT" | "USER" };

const a = (id: string): MessageLike => ({ id, author: "ASSISTANT" });
const u = (id: string): MessageLike => ({ id, author: "USER" });

describe("newestMessageId", () => {
  it("is the last message's id, or null", () => {
    expect(newestMessageId([a("1"), u("2")])).toBe("2");
    expect(newestMessageId([])).toBeNull();
  });
});

describe("appendNew", () => {
  it("appends only messages not yet present, keeping their order", () => {
    expect(appendNew([a("1"), a("2")], [a("2"), u("3"), u("3"), a("4")]).map((m) => m.id)).toEqual(["1", "2", "3", "4"]);
  });

  it("returns a copy when nothing is new", () => {
    const list = [a("1")];
    const out = appendNew(list, [a("1")]);
    expect(out).toEqual(list);
    expect(out).not.toBe(list);
  });
});

describe("unreadBadgeText", () => {
  it("caps the badge at 9+", () => {
    expect(unreadBadgeText(1)).toBe("1");
    expect(unreadBadgeText(9)).toBe("9");
    expect(unreadBadgeText(10)).toBe("9+");
  });
});
