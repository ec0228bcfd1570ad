import { once } from "node:events";
import type { Client } from "graphql-ws";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { eventually, GraphQLClient, startStack, type TestStack } from "../../test/harness.js";

const CHANGED = `subscription Changed($w: ID!) { storageVolumeChanged(workspaceId: $w) { id name status sizeGiB monthlyCost currency usage { percent } } }`;
const CREATE = `mutation($input: CreateStorageVolumeInput!) { createStorageVolume(input: $input) { id } }`;

type Payload = {
  data?: { storageVolumeChanged?: { name: string; status: string } } | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
};

let stack: TestStack;
let admin: GraphQLClient;
let member: GraphQLClient;
let globexAdmin: GraphQLClient;
let acme: string;
const clients: Client[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  stack = await startStack();
  [admin, member, globexAdmin] = await Promise.all([
    stack.login("admin@acme.test"),
    stack.login("dev@acme.test"),
    stack.login("admin@globex.test"),
  ]);
  acme = await stack.workspaceId("acme");
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map(async (c) => c.dispose()));
  for (const socket of sockets.splice(0)) socket.close();
  await eventually(
    async () => (open() === 0 && stack.app.graphqlWs.sharedStreams === 0 ? true : undefined),
    "every subscription to end with its socket",
  );
});
afterAll(() => stack?.stop());

/** A graphql-ws client (the one the dashboard uses) with one subscription whose messages are collected. */
function subscribe(client: Client, query = CHANGED, variables: Record<string, unknown> = { w: acme }) {
  const seen: Payload[] = [];
  const state = { completed: false, error: undefined as unknown };
  const unsubscribe = client.subscribe<Payload["data"]>(
    { query, variables },
    {
      next: (payload) => void seen.push(payload as Payload),
      error: (error) => void (state.error = error),
      complete: () => void (state.completed = true),
    },
  );
  const statuses = (name: string) =>
    seen.flatMap((p) => (p.data?.storageVolumeChanged?.name === name ? [p.data.storageVolumeChanged.status] : []));
  return { seen, state, unsubscribe, statuses };
}

function wsClient(client: GraphQLClient): Client {
  const ws = client.subscriptions();
  clients.push(ws);
  return ws;
}

async function createVolume(name: string) {
  await admin.data(CREATE, { input: { workspaceId: acme, name, sizeGiB: 10 } });
}

const open = () => stack.app.graphqlWs.subscriptionsOpen;

/** A bare socket speaking the protocol by hand, for what graphql-ws's client never sends. */
async function rawSocket(protocol: string | null = "graphql-transport-ws", port = stack.app.port) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, protocol === null ? [] : [protocol]);
  sockets.push(socket);
  const messages: Array<Record<string, unknown>> = [];
  const texts: string[] = [];
  socket.on("message", (data) => {
    texts.push(String(data));
    messages.push(JSON.parse(String(data)) as Record<string, unknown>);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await once(socket, "open");
  const send = (message: unknown) => socket.send(typeof message === "string" ? message : JSON.stringify(message));
  const message = (predicate: (m: Record<string, unknown>) => boolean, what: string) =>
    eventually(async () => messages.find(predicate), what, 5_000);
  return { socket, messages, texts, closed, send, message };
}

async function acknowledged(token?: string, port?: number) {
  const raw = await rawSocket(undefined, port);
  raw.send({ type: "connection_init", payload: token ? { authorization: `Bearer ${token}` } : {} });
  await raw.message((m) => m["type"] === "connection_ack", "connection_ack");
  return raw;
}

describe("subscriptions shared by many subscribers", () => {
  it("delivers each volume change to every subscriber under its own id, executing the event once for all of them", async () => {
    const adminWs = wsClient(admin);
    const memberWs = wsClient(member);
    // Two subscriptions on one socket (graphql-ws multiplexes by id) and one of another member.
    const subs = [subscribe(adminWs), subscribe(adminWs), subscribe(memberWs)];
    await eventually(async () => (open() === 3 ? true : undefined), "three subscriptions to be open");
    // The same document, operation and workspace: one source stream, even across two members.
    expect(stack.app.graphqlWs.sharedStreams).toBe(1);
    const executionsBefore = stack.app.graphqlWs.executions;

    await createVolume("fan-1");
    for (const sub of subs)
      await eventually(async () => (sub.statuses("fan-1").at(-1) === "AVAILABLE" ? true : undefined), "fan-1 to be AVAILABLE");
    expect(subs[0]!.statuses("fan-1")[0]).toBe("PROVISIONING");
    for (const sub of subs) expect(sub.seen).toEqual(subs[0]!.seen);
    expect(subs[0]!.seen.at(-1)).toEqual({
      data: { storageVolumeChanged: expect.objectContaining({ name: "fan-1", sizeGiB: 10, currency: "EUR", usage: null }) },
    });
    // Each event ran once, not once per subscriber.
    expect(stack.app.graphqlWs.executions - executionsBefore).toBe(subs[0]!.seen.length);

    for (const sub of subs) sub.unsubscribe();
    await eventually(
      async () => (open() === 0 && stack.app.graphqlWs.sharedStreams === 0 ? true : undefined),
      "the shared stream to close",
    );
  });

  it("sends the shared payload behind each subscription's own id, byte for byte", async () => {
    const raw = await acknowledged(admin.token);
    for (const id of ["first", "second"]) raw.send({ id, type: "subscribe", payload: { query: CHANGED, variables: { w: acme } } });
    await eventually(async () => (open() === 2 ? true : undefined), "two subscriptions to be open");
    await createVolume("fan-raw");
    await raw.message((m) => m["id"] === "second" && JSON.stringify(m).includes("AVAILABLE"), "the AVAILABLE event on the second id");
    const frames = raw.texts.filter((t) => t.includes("fan-raw"));
    const byId = (id: string) =>
      frames.filter((t) => t.startsWith(`{"id":"${id}","type":"next","payload":`)).map((t) => t.slice(`{"id":"${id}"`.length));
    expect(byId("first").length).toBeGreaterThanOrEqual(2);
    expect(byId("first")).toEqual(byId("second"));
    raw.socket.close();
    await eventually(async () => (open() === 0 ? true : undefined), "closing the socket to end its subscriptions");
  });

  it("keeps delivering to the others when one subscriber leaves", async () => {
    const staying = subscribe(wsClient(member));
    const leaving = subscribe(wsClient(admin));
    await eventually(async () => (open() === 2 ? true : undefined), "two subscriptions to be open");
    leaving.unsubscribe();
    await eventually(async () => (open() === 1 ? true : undefined), "one subscription to be left");
    expect(stack.app.graphqlWs.sharedStreams).toBe(1);

    await createVolume("fan-2");
    await eventually(
      async () => (staying.statuses("fan-2").at(-1) === "AVAILABLE" ? true : undefined),
      "fan-2 to reach the remaining subscriber",
    );
    expect(leaving.statuses("fan-2")).toEqual([]);
    staying.unsubscribe();
  });

  it("refuses a member of another workspace, and one without a token or with a bad one", async () => {
    const forged = new GraphQLClient(admin.url, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad");
    const refused = [subscribe(wsClient(globexAdmin)), subscribe(wsClient(stack.anonymous())), subscribe(wsClient(forged))];
    for (const sub of refused)
      await eventually(async () => (sub.state.completed ? true : undefined), "the refused subscription to complete");
    const [foreign, anonymous, bad] = refused.map((s) => s.seen[0]?.errors?.[0]);
    expect(foreign).toMatchObject({ extensions: { code: "NOT_FOUND" }, message: `Workspace '${acme}' was not found.` });
    expect(anonymous).toMatchObject({ extensions: { code: "UNAUTHENTICATED" }, message: expect.stringMatching(/Sign in/) });
    expect(bad).toMatchObject({ extensions: { code: "UNAUTHENTICATED" }, message: expect.stringMatching(/invalid or expired/) });
    expect(open()).toBe(0);

    // A refused subscriber hears nothing of the workspace afterwards.
    const member = subscribe(wsClient(admin));
    await eventually(async () => (open() === 1 ? true : undefined), "the member's subscription to be open");
    await createVolume("fan-3");
    await eventually(async () => (member.statuses("fan-3").at(-1) === "AVAILABLE" ? true : undefined), "fan-3 to reach the member");
    for (const sub of refused) expect(sub.seen).toHaveLength(1);
    member.unsubscribe();
  });

  it("answers queries and mutations over the socket too, formatted as over HTTP", async () => {
    const raw = await acknowledged(admin.token);
    raw.send({ id: "q", type: "subscribe", payload: { query: `query { me { email } }` } });
    await raw.message((m) => m["id"] === "q" && m["type"] === "complete", "the query to complete");
    expect(raw.messages.filter((m) => m["id"] === "q")).toEqual([
      { id: "q", type: "next", payload: { data: { me: { email: "admin@acme.test" } } } },
      { id: "q", type: "complete" },
    ]);
    raw.send({ id: "bad", type: "subscribe", payload: { query: `subscription { storageVolumeChanged(workspaceId: "x") { nope } }` } });
    const error = await raw.message((m) => m["id"] === "bad", "the validation error");
    expect(error).toMatchObject({
      type: "error",
      payload: [{ message: expect.stringMatching(/nope/), extensions: { code: "INVALID_INPUT" } }],
    });
    raw.send({ id: "syntax", type: "subscribe", payload: { query: `subscription {` } });
    expect(await raw.message((m) => m["id"] === "syntax", "the syntax error")).toMatchObject({
      type: "error",
      payload: [{ extensions: { code: "INVALID_INPUT" } }],
    });
    raw.send({ type: "ping", payload: { at: 1 } });
    expect(await raw.message((m) => m["type"] === "pong", "pong")).toEqual({ type: "pong", payload: { at: 1 } });
    raw.socket.close();
  });
});

describe("the protocol's close codes", () => {
  it("4401 for a subscribe before the connection is acknowledged", async () => {
    const raw = await rawSocket();
    raw.send({ id: "1", type: "subscribe", payload: { query: CHANGED, variables: { w: acme } } });
    expect(await raw.closed).toEqual({ code: 4401, reason: "Unauthorized" });
  });

  it("4409 for a second subscription under an id still open", async () => {
    const raw = await acknowledged(admin.token);
    raw.send({ id: "dup", type: "subscribe", payload: { query: CHANGED, variables: { w: acme } } });
    raw.send({ id: "dup", type: "subscribe", payload: { query: CHANGED, variables: { w: acme } } });
    expect(await raw.closed).toEqual({ code: 4409, reason: "Subscriber for dup already exists" });
  });

  it("4429 for a second connection_init", async () => {
    const raw = await acknowledged(admin.token);
    raw.send({ type: "connection_init" });
    expect((await raw.closed).code).toBe(4429);
  });

  it("4400 for a message that is not one, or one a server never receives", async () => {
    const notJson = await acknowledged();
    notJson.send("{nope");
    expect((await notJson.closed).code).toBe(4400);
    const noId = await acknowledged();
    noId.send({ type: "subscribe", payload: { query: CHANGED } });
    expect(await noId.closed).toEqual({
      code: 4400,
      reason: `"subscribe" message expects the 'id' property to be a string, but got undefined`,
    });
    const serverSide = await acknowledged();
    serverSide.send({ type: "connection_ack" });
    expect(await serverSide.closed).toEqual({ code: 4400, reason: "Unexpected message of type connection_ack received" });
  });

  it("4406 without the graphql-transport-ws subprotocol, 4408 when connection_init never comes", async () => {
    const legacy = await rawSocket(null);
    expect((await legacy.closed).code).toBe(4406);
    const silent = await rawSocket();
    expect(await silent.closed).toEqual({ code: 4408, reason: "Connection initialisation timeout" });
  });
});

describe("shutdown", () => {
  it("closes every socket with 1001 Going away and completes nothing, so clients resubscribe on another instance", async () => {
    const other = await startStack();
    try {
      const token = (await other.login("admin@acme.test")).token;
      const raw = await acknowledged(token, other.app.port);
      raw.send({ id: "live", type: "subscribe", payload: { query: CHANGED, variables: { w: await other.workspaceId("acme") } } });
      await eventually(async () => (other.app.graphqlWs.subscriptionsOpen === 1 ? true : undefined), "the subscription to be open");
      const closing = other.app.close();
      expect(await raw.closed).toEqual({ code: 1001, reason: "Going away" });
      await closing;
      expect(raw.messages.filter((m) => m["id"] === "live")).toEqual([]);
      expect(other.app.graphqlWs.subscriptionsOpen).toBe(0);
    } finally {
      await other.stop();
    }
  });
});
