import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provisionVolume, startStack, type GraphQLClient, type TestStack } from "../../test/harness.js";

const UNREAD = `query($w: ID!) { assistantUnreadCount(workspaceId: $w) }`;
const MARK = `mutation($w: ID!, $m: ID!) { markAssistantRead(workspaceId: $w, messageId: $m) }`;
const REPLY = `mutation($input: ReplyToAssistantInput!) { replyToAssistant(input: $input) { id author } }`;

let stack: TestStack;
let acme: string;

beforeAll(async () => {
  stack = await startStack();
  acme = await stack.workspaceId("acme");
}, 120_000);
afterAll(() => stack?.stop());

const unread = async (client: GraphQLClient) =>
  (await client.data<{ assistantUnreadCount: number }>(UNREAD, { w: acme })).assistantUnreadCount;

describe("unread assistant messages", () => {
  it("are counted per user on the server, leaving out the answers to the user's own messages", async () => {
    const admin = await stack.login("admin@acme.test");
    const member = await stack.login("dev@acme.test");
    const { replyToAssistant } = await admin.data<{ replyToAssistant: Array<{ id: string; author: string }> }>(REPLY, {
      input: { workspaceId: acme, text: "How full is backup-vol-1?" },
    });
    const answer = replyToAssistant.find((m) => m.author === "ASSISTANT")!;

    // The admin asked: the answer is no news to them, in this browser or another.
    expect(await unread(admin)).toBe(0);
    expect(await unread(await stack.login("admin@acme.test"))).toBe(0);
    // The member did not see it yet.
    expect(await unread(member)).toBe(1);

    const left = (await member.data<{ markAssistantRead: number }>(MARK, { w: acme, m: answer.id })).markAssistantRead;
    expect(left).toBe(0);
    // Read once, read everywhere: a fresh sign-in (another browser) shows nothing unread.
    expect(await unread(await stack.login("dev@acme.test"))).toBe(0);
  });

  it("answers a question about a volume from what it knows, and otherwise says what it can do", async () => {
    const admin = await stack.login("admin@acme.test");
    await provisionVolume(admin, acme, "backup-vol-1", 10);
    const ask = async (text: string) =>
      (
        await admin.data<{ replyToAssistant: Array<{ author: string; text: string }> }>(
          `mutation($input: ReplyToAssistantInput!) { replyToAssistant(input: $input) { author text } }`,
          { input: { workspaceId: acme, text } },
        )
      ).replyToAssistant.find((m) => m.author === "ASSISTANT")!.text;
    expect(await ask("How full is backup-vol-1?")).toMatch(/'backup-vol-1' is 10 GiB; its usage has not been measured yet/);
    expect(await ask("What is the weather?")).toMatch(/how full a volume is/);
  });

  it("is refused outside the viewer's workspaces", async () => {
    const globex = await stack.login("admin@globex.test");
    expect((await globex.error(UNREAD, { w: acme })).code).toMatch(/FORBIDDEN|NOT_FOUND/);
  });
});
