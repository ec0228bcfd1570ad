import { describe, expect, it } from "vitest";
import { appendNew, countUnread, lastReadStorageKey, newestMessageId, unreadBadgeText, type MessageLike } from "./unread";

const a = (id: string): MessageLike => ({ id, author: "ASSISTANT" });
const u = (id: string): MessageLike => ({ id, author: "USER" });

describe("countUnread", () => {
  it("counts every assistant message when nothing was read yet", () => {
    expect(countUnread([a("1"), u("2"), a("3")], null)).toBe(2);
  });

  it("counts only the assistant's messages after the last read one", () => {
    expect(countUnread([a("1"), a("2"), u("3"), a("4"), a("5")], "2")).toBe(2);
  });

  it("is zero when the newest message was read, or after the admin's own answer", () => {
    expect(countUnread([a("1"), a("2")], "2")).toBe(0);
    expect(countUnread([a("1"), u("2")], "1")).toBe(0);
  });

  it("counts everything loaded when the last read message fell out of the window", () => {
    expect(countUnread([a("8"), a("9")], "1")).toBe(2);
  });

  it("is zero for an empty conversation", () => {
    expect(countUnread([], null)).toBe(0);
    expect(countUnread([], "1")).toBe(0);
  });
});

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

describe("lastReadStorageKey / unreadBadgeText", () => {
  it("keys the last read message per workspace", () => {
    expect(lastReadStorageKey("ws-1")).toBe("hks.assistant.lastRead.ws-1");
    expect(lastReadStorageKey("ws-1")).not.toBe(lastReadStorageKey("ws-2"));
  });

  it("caps the badge at 9+", () => {
    expect(unreadBadgeText(1)).toBe("1");
    expect(unreadBadgeText(9)).toBe("9");
    expect(unreadBadgeText(10)).toBe("9+");
  });
});
