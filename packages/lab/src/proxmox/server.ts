import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FaultRegistry, type FaultRule } from "../faults.js";
import { Auth } from "./auth.js";
import { PveError } from "./errors.js";
import { queryParams, readBody, sendData, sendError, sendPveError, sendUnauthorized } from "./http.js";
import { match, runRoute, UnauthorizedError, type LabContext } from "./routes.js";
import { CLUSTER_NAME, LabState } from "./state.js";
import { TaskManager } from "./tasks.js";

export interface ProxmoxLabOptions {
  host?: string;
  port?: number;
  stateFile?: string;
  taskDelayMs?: number;
}

export interface ProxmoxLab {
  url: string;
  host: string;
  port: number;
  clusterName: string;
  nodes: string[];
  tokenId: string;
  tokenSecret: string;
  faults: FaultRegistry;
  /** Test/inspection helpers: list all disk volumes (node, storage, volid, size bytes). */
  volumes(): Array<{ node: string; storage: string; volid: string; size: number }>;
  close(): Promise<void>;
}

const API_PREFIX = "/api2/json";
const TOKEN_ID = "hks@pve!lab";
const LAB_PASSWORDS = new Map([["root@pam", "hks-lab"]]);
const DEFAULT_TASK_DELAY_MS = 100;

function isFaultRule(v: unknown): v is FaultRule {
  if (!v || typeof v !== "object") return false;
  const r = v as Record<string, unknown>;
  return typeof r.path === "string" && (r.action === "fail" || r.action === "hang");
}

/** Fault control lives outside /api2/json and needs no auth, so a test in another process can drive it. */
async function handleLabControl(req: IncomingMessage, res: ServerResponse, path: string, faults: FaultRegistry): Promise<void> {
  if (path !== "/_lab/faults") return sendError(res, 501, `Method '${req.method} ${path}' not implemented`);
  if (req.method === "DELETE") {
    faults.clear();
    return sendData(res, null);
  }
  if (req.method !== "POST") return sendError(res, 501, `Method '${req.method} ${path}' not implemented`);
  const { raw } = await readBody(req);
  let rule: unknown;
  try {
    rule = JSON.parse(raw);
  } catch {
    return sendError(res, 400, "Parameter verification failed.", { rule: "malformed JSON body" });
  }
  if (!isFaultRule(rule)) return sendError(res, 400, "Parameter verification failed.", { rule: "expected a FaultRule" });
  try {
    new RegExp(rule.path);
  } catch {
    return sendError(res, 400, "Parameter verification failed.", { path: "invalid regular expression" });
  }
  faults.add(rule);
  sendData(res, null);
}

async function handle(req: IncomingMessage, res: ServerResponse, lab: LabContext, faults: FaultRegistry): Promise<void> {
  const url = new URL(req.url ?? "/", "http://lab.invalid");
  // The raw path is kept (not URL-decoded) so fault regexes and route segments see what the client sent.
  const rawPath = (req.url ?? "/").split("?")[0] ?? "/";
  const method = (req.method ?? "GET").toUpperCase();
  if (rawPath.startsWith("/_lab/")) return handleLabControl(req, res, rawPath, faults);

  const fault = faults.take(method, rawPath);
  if (fault?.action === "hang") return; // the socket stays open until the client gives up or the lab closes
  if (fault) {
    req.resume();
    return sendError(res, fault.status ?? 500, fault.message ?? "injected fault");
  }

  const apiPath = rawPath.startsWith(`${API_PREFIX}/`) || rawPath === API_PREFIX ? rawPath.slice(API_PREFIX.length) || "/" : undefined;
  const { route, pathParams } = apiPath !== undefined ? match(method, apiPath) : { route: undefined, pathParams: {} };
  if (!route) {
    req.resume();
    return sendError(res, 501, `Method '${method} ${apiPath ?? rawPath}' not implemented`);
  }

  let user = "";
  if (!route.anonymous) {
    const auth = lab.auth.authenticate(req);
    if (!auth.ok) {
      req.resume();
      return sendUnauthorized(res, auth.reason);
    }
    user = auth.user;
  }

  const params = queryParams(url);
  if (method === "POST" || method === "PUT") Object.assign(params, (await readBody(req)).params);
  else req.resume();

  try {
    sendData(res, await runRoute(route, lab, user, params, pathParams));
  } catch (err) {
    if (err instanceof UnauthorizedError) return sendUnauthorized(res, err.message);
    sendPveError(res, err);
  }
}

/** Starts a stand-in for a two-node Proxmox VE cluster, speaking the real API for the calls the product uses. */
export async function startProxmoxApi(options: ProxmoxLabOptions = {}): Promise<ProxmoxLab> {
  const host = options.host ?? "127.0.0.1";
  const state = new LabState(options.stateFile);
  // Persist at once so the token secret a caller reads now is the one a restarted lab will accept.
  state.save();
  const tasks = new TaskManager(options.taskDelayMs ?? DEFAULT_TASK_DELAY_MS);
  const auth = new Auth(TOKEN_ID, state.tokenSecret, LAB_PASSWORDS);
  const lab: LabContext = { state, tasks, auth, startedAt: Date.now() };
  const faults = new FaultRegistry();

  const server = createServer((req, res) => {
    handle(req, res, lab, faults).catch((err: unknown) => {
      if (err instanceof PveError) return sendPveError(res, err);
      sendError(res, 500, err instanceof Error ? err.message : String(err));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    clusterName: CLUSTER_NAME,
    nodes: [...state.nodes.keys()],
    tokenId: TOKEN_ID,
    tokenSecret: state.tokenSecret,
    faults,
    volumes: () => state.volumes(),
    close: async () => {
      tasks.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hung (fault-injected) and keep-alive sockets would otherwise keep close() waiting forever.
        server.closeAllConnections();
      });
    },
  };
}
