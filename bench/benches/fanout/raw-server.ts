/**
 * The baseline for the fan-out bench: a bare `ws` WebSocketServer that broadcasts each payload to every
 * client, the way ws's own README broadcasts, in a process of its own like the product's server.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { serve, settledMemory } from "./ipc.js";

const server = http.createServer();
const wss = new WebSocketServer({ server });
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

serve({
  info: () => ({ url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` }),
  memory: () => settledMemory(),
  broadcast: ({ text }) => {
    const t0 = process.hrtime.bigint();
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(text as string);
    return { t0: Number(t0) };
  },
  stop: async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => server.close(() => resolve())));
    setImmediate(() => process.exit(0));
    return {};
  },
});
process.send!({ ready: true });
