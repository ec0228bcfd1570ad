import { GraphQLError, GraphQLID, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from "graphql";
import { Repeater } from "@graphql-yoga/subscription";
import { describe, expect, it } from "vitest";
import { SharedStream, type Subscriber } from "./shared-stream.js";

type Event = { id: string; note: string };

/** A schema whose `note` fails for some events, and counts how often it runs. */
function fixture() {
  const calls = { note: 0 };
  const Change = new GraphQLObjectType<Event>({
    name: "Change",
    fields: {
      id: { type: new GraphQLNonNull(GraphQLID) },
      note: {
        type: GraphQLString,
        resolve: (event) => {
          calls.note++;
          if (event.note === "boom") throw new Error("the note could not be read");
          return event.note;
        },
      },
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: "Query", fields: { ok: { type: GraphQLString } } }),
    subscription: new GraphQLObjectType({ name: "Subscription", fields: { changed: { type: Change, resolve: (e: Event) => e } } }),
  });
  let push!: (event: Event) => Promise<unknown>;
  let fail!: (error: Error) => void;
  let end!: () => void;
  const source = new Repeater<Event>(async (next, stop) => {
    push = next;
    fail = (error) => stop(error);
    end = () => stop();
    await stop;
  });
  const received = new Map<string, string[]>();
  const ended: string[] = [];
  const subscriber = (id: string): Subscriber => {
    received.set(id, []);
    return {
      id,
      nextPrefix: `{"id":${JSON.stringify(id)},"type":"next","payload":`,
      send: (m) => void received.get(id)!.push(m),
      ended: () => void ended.push(id),
    };
  };
  let executions = 0;
  let closed = false;
  const stream = new SharedStream(
    source[Symbol.asyncIterator](),
    {
      schema,
      document: parse(`subscription { changed { id note } }`),
      operationName: undefined,
      variableValues: undefined,
      context: () => ({}),
      formatError: (e: GraphQLError) => ({ message: e.originalError ? "Something went wrong" : e.message, path: e.path }),
    },
    () => void executions++,
    () => void (closed = true),
  );
  const settle = () => new Promise((r) => setTimeout(r, 20));
  return {
    stream,
    subscriber,
    received,
    ended,
    calls,
    settle,
    push: (e: Event) => push(e),
    fail: (e: Error) => fail(e),
    end: () => end(),
    executions: () => executions,
    closed: () => closed,
  };
}

describe("a shared stream", () => {
  it("executes each event once and sends it to every subscriber behind its own id", async () => {
    const f = fixture();
    const subscribers = ["a", "b", "c"].map(f.subscriber);
    for (const s of subscribers) f.stream.add(s);
    f.stream.start();
    await f.push({ id: "v1", note: "grown" });
    await f.settle();
    expect(f.calls.note).toBe(1);
    expect(f.executions()).toBe(1);
    const payload = `{"data":{"changed":{"id":"v1","note":"grown"}}}`;
    expect(f.received.get("a")).toEqual([`{"id":"a","type":"next","payload":${payload}}`]);
    expect(f.received.get("c")).toEqual([`{"id":"c","type":"next","payload":${payload}}`]);
  });

  it("delivers an event whose execution fails as a next message with the formatted errors, and keeps streaming", async () => {
    const f = fixture();
    f.stream.add(f.subscriber("a"));
    f.stream.start();
    await f.push({ id: "v1", note: "boom" });
    await f.push({ id: "v1", note: "fine" });
    await f.settle();
    expect(f.received.get("a")!.map((m) => JSON.parse(m))).toEqual([
      {
        id: "a",
        type: "next",
        payload: { data: { changed: { id: "v1", note: null } }, errors: [{ message: "Something went wrong", path: ["changed", "note"] }] },
      },
      { id: "a", type: "next", payload: { data: { changed: { id: "v1", note: "fine" } } } },
    ]);
  });

  it("ends every subscription with error when the source fails, and with complete when it runs out", async () => {
    const failing = fixture();
    failing.stream.add(failing.subscriber("a"));
    failing.stream.start();
    failing.fail(new GraphQLError("the event bus went away"));
    await failing.settle();
    expect(failing.received.get("a")).toEqual([`{"id":"a","type":"error","payload":[{"message":"the event bus went away"}]}`]);
    expect(failing.ended).toEqual(["a"]);
    expect(failing.closed()).toBe(true);

    const ending = fixture();
    ending.stream.add(ending.subscriber("a"));
    ending.stream.start();
    ending.end();
    await ending.settle();
    expect(ending.received.get("a")).toEqual([`{"id":"a","type":"complete"}`]);
  });

  it("closes its source silently when the last subscriber leaves", async () => {
    const f = fixture();
    const [a, b] = [f.subscriber("a"), f.subscriber("b")];
    f.stream.add(a);
    f.stream.add(b);
    f.stream.start();
    f.stream.remove(a);
    expect(f.closed()).toBe(false);
    f.stream.remove(b);
    expect(f.closed()).toBe(true);
    await f.settle();
    expect([...f.received.values()].flat()).toEqual([]);
    expect(f.ended).toEqual([]);
  });
});
