import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from "node:net";
import type { ServingCert } from "./tls.js";

export interface DualServer {
  server: NetServer;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

/**
 * One port, two protocols: plain HTTP for the lab's `url` (client-node, curl), TLS for the kubeconfig, because client-go
 * (kubectl) drops bearer tokens on non-TLS connections. The first byte of a TLS handshake is 0x16.
 */
export function dualProtocolServer(tls: ServingCert, onRequest: (req: IncomingMessage, res: ServerResponse) => void): DualServer {
  const httpServer = createServer(onRequest);
  const httpsServer = createHttpsServer({ key: tls.key, cert: tls.cert }, onRequest);
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.once("data", (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      (chunk[0] === 0x16 ? httpsServer : httpServer).emit("connection", socket);
      process.nextTick(() => socket.resume());
    });
    socket.on("error", () => socket.destroy());
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        httpServer.closeAllConnections();
        httpsServer.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}

export function portOf(server: NetServer): number | undefined {
  const address = server.address() as AddressInfo | null;
  return address?.port;
}

export async function listen(server: NetServer, host: string, port: number | undefined, previousPort: number | undefined): Promise<void> {
  const attempt = (p: number) =>
    new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => {
        server.off("listening", onListening);
        reject(error);
      };
      const onListening = () => {
        server.off("error", onError);
        resolve();
      };
      server.once("error", onError);
      server.once("listening", onListening);
      server.listen(p, host);
    });
  if (port !== undefined || !previousPort) return attempt(port ?? 0);
  try {
    await attempt(previousPort);
  } catch (error) {
    // The previous run's port (kept so saved kubeconfigs stay valid) may be taken now; any free port will do.
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") await attempt(0);
    else throw error;
  }
}
