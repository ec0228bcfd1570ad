import { describe, expect, it } from "vitest";
import { cardSlotOf } from "./card-layout";

describe("cardSlotOf", () => {
  it("puts the first column in the title and the actions column at the foot by default", () => {
    expect(cardSlotOf("name", 0, undefined)).toBe("title");
    expect(cardSlotOf("size", 1, undefined)).toBe("field");
    expect(cardSlotOf("actions", 5, undefined)).toBe("actions");
  });

  it("follows the table's own title, badges and actions columns", () => {
    const layout = { title: "kind", badges: ["status"], actions: "buttons" };
    expect(cardSlotOf("kind", 2, layout)).toBe("title");
    expect(cardSlotOf("first", 0, layout)).toBe("field");
    expect(cardSlotOf("status", 1, layout)).toBe("badge");
    expect(cardSlotOf("buttons", 3, layout)).toBe("actions");
    expect(cardSlotOf("actions", 4, layout)).toBe("field");
  });
});
