/**
 * A share of the fan-out bench's subscribers, away from the servers' event loops: raw WebSocket clients
 * of the baseline and graphql-ws clients (the dashboard's own library) of the product. Each records when
 * every event reached every socket (process.hrtime: CLOCK_MONOTONIC, the same clock in every process).
 */
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { notify, serve } from "./ipc.js";
import { sequenceOf, WARMUP_FROM } from "./shape.js";

type Side = "raw" | "graphql";

class Receipts {
  readonly at: Float64Array;
  private readonly perEvent: Uint32Array;
  private readonly warmed: Uint8Array;
  private warmedCount = 0;

  constructor(
    readonly side: Side,
    readonly count: number,
    readonly events: number,
  ) {
    this.at = new Float64Array(events * count);
    this.perEvent = new Uint32Array(events + 1);
    this.warmed = new Uint8Array(count);
  }

  received(socket: number, seq: number | undefined) {
    const now = Number(process.hrtime.bigint());
    if (seq === undefined) return;
    if (seq >= WARMUP_FROM) {
      if (this.warmed[socket]) return;
      this.warmed[socket] = 1;
      if (++this.warmedCount === this.count) notify({ warm: this.side });
      return;
    }
    if (seq < 1 || seq > this.events) return;
    this.at[(seq - 1) * this.count + socket] = now;
    if (++this.perEvent[seq]! === this.count) notify({ got: this.side, seq });
  }
}

const receipts: Partial<Record<Side, Receipts>> = {};
const rawSockets: WebSocket[] = [];
const graphqlClients: Client[] = [];
const BATCH = 250;

async function inBatches(count: number, open: (i: number) => Promise<void>) {
  for (let from = 0; from < count; from += BATCH) {
    await Promise.all(Array.from({ length: Math.min(BATCH, count - from) }, (_, k) => open(from + k)));
  }
}

serve({
  connectRaw: async ({ url, count, events }) => {
    const r = (receipts.raw = new Receipts("raw", count as number, events as number));
    await inBatches(r.count, (i) => {
      const socket = new WebSocket(url as string);
      rawSockets.push(socket);
      socket.on("message", (data) => r.received(i, sequenceOf((JSON.parse(String(data)) as { payload?: unknown }).payload)));
      return new Promise((resolve, reject) => {
        socket.once("open", () => resolve());
        socket.once("error", reject);
      });
    });
    return { connected: rawSockets.length };
  },

  connectGraphql: async ({ url, tokens, query, variables, count, events }) => {
    const g = (receipts.graphql = new Receipts("graphql", count as number, events as number));
    const tokenList = tokens as string[];
    let failures = 0;
    await inBatches(g.count, (i) => {
      const client = createClient({
        url: url as string,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${tokenList[i % tokenList.length]}` },
      });
      graphqlClients.push(client);
      return new Promise<void>((resolve) => {
        const off = client.on("connected", () => {
          off();
          resolve();
        });
        client.subscribe(
          { query: query as string, variables: variables as Record<string, unknown> },
          {
            next: (payload) => g.received(i, sequenceOf(payload)),
            error: (error) => {
              failures++;
              process.stderr.write(`graphql-ws subscriber ${i}: ${JSON.stringify(error)}\n`);
              resolve();
            },
            complete: () => undefined,
          },
        );
      });
    });
    return { connected: graphqlClients.length - failures, failures };
  },

  results: ({ side }) => ({ at: Array.from(receipts[side as Side]?.at ?? []) }),

  close: async () => {
    for (const socket of rawSockets) socket.terminate();
    await Promise.all(graphqlClients.map(async (c) => c.dispose()));
    setImmediate(() => process.exit(0));
    return {};
  },
});
process.send!({ ready: true });
