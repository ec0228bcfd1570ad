/**
 * The stand-in kubelets' HTTP server, in a process of its own so the bench's measured process never delays a scrape.
 * Told over IPC: `{ listen: true }` (answers its port) and `{ pages: [[vcluster, text], ...] }` (answers once served).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

let pages = new Map<string, Buffer>();
const server = createServer((req, res) => {
  const page = pages.get((req.url ?? "").replace(/^\/metrics\//, ""));
  if (!page) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Content-Length": page.length });
  res.end(page);
});

process.on("message", (message: { listen?: boolean; pages?: Array<[string, string]> }) => {
  if (message.listen) server.listen(0, "127.0.0.1", () => process.send?.({ port: (server.address() as AddressInfo).port }));
  if (message.pages) {
    pages = new Map(message.pages.map(([name, text]) => [name, Buffer.from(text)]));
    process.send?.({ served: pages.size });
  }
});
// The bench ended or died: nothing left to serve.
process.on("disconnect", () => process.exit(0));
