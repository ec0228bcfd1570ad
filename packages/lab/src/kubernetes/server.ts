import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from "node:net";
import path from "node:path";
import { stringify as stringifyYaml } from "yaml";
import { FaultRegistry, type FaultRule } from "../faults.js";
import { startBindingController } from "./controllers/binding.js";
import { CronJobController } from "./controllers/cronjob.js";
import { JobController } from "./controllers/job.js";
import { renderLine, selectLines } from "./controllers/logs.js";
import { PodRunner, type ImageMapping } from "./controllers/pods.js";
import { standardStorageClass, startProvisioner, STANDARD_CLASS } from "./controllers/provisioner.js";
import { DEFAULT_BYTES_PER_GIB, VolumeManager, type VolumeUsage } from "./controllers/volumes.js";
import { startQuotaController } from "./controllers/quota.js";
import { apiGroupDoc, apiGroupList, apiResourceList, apiVersions, SERVER_VERSION } from "./discovery.js";
import { badRequest, methodNotAllowed, notFound, pathNotFound, reasonForCode, StatusError, unauthorized } from "./errors.js";
import { mediaType, parseBody, readBody, sendJson, sendStatus, sendText, toStatusError, wantsTable } from "./http.js";
import { KindRegistry } from "./kinds/index.js";
import type { KindDef } from "./kinds/kind.js";
import { seedNode } from "./kinds/node.js";
import { openapiDocument, openapiIndex } from "./openapi.js";
import { jsonPatch, mergePatch, recordUpdate, serverSideApply, strategicMergePatch } from "./patch.js";
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from "./selectors.js";
import { selfSubjectAccessReview } from "./access-review.js";
import { parseBool, parseDryRun, parseInteger, parseListQuery, parsePropagationPolicy, parseWriteQuery } from "./query.js";
import { checkUnknownFields, warningHeader } from "./field-validation.js";
import { KubeStore, type StoreEvent, type StoreSnapshot, type WriteOptions } from "./store.js";
import { PROMETHEUS_TEXT_CONTENT_TYPE, renderVolumeStats, volumeStatsOf, type VolumeStat } from "./metrics.js";
import { toTable } from "./table.js";
import { selfSignedCert, type ServingCert } from "./tls.js";
import { isRecord, type KubeObject } from "./types.js";

export { KubeStore } from "./store.js";
export type { StoreEvent, StoreListener, ListOptions, WriteOptions, DeleteOptions, Admission } from "./store.js";
export type { KubeObject, ObjectMeta, ManagedFieldsEntry } from "./types.js";
export { StatusError } from "./errors.js";
export type { ImageMapping } from "./controllers/pods.js";
export type { VolumeUsage } from "./controllers/volumes.js";
export { DEFAULT_BYTES_PER_GIB } from "./controllers/volumes.js";
export type { VolumeStat } from "./metrics.js";

export interface KubeLabOptions {
  host?: string;
  port?: number;
  /** The vCluster name, e.g. "acme". */
  name: string;
  /** Seeded namespaces besides default/kube-system. */
  namespaces: string[];
  nodes: Array<{ name: string; region: string; zone: string }>;
  /** Persist objects as JSON (atomic write: temp + rename) and reload at start. */
  stateFile?: string;
  /**
   * Where PersistentVolumes live: a folder `<volumesDir>/<pv-name>` each. Default `<dir of stateFile>/volumes/<name>`,
   * or a temporary folder (removed at close) without a stateFile.
   */
  volumesDir?: string;
  /**
   * The lab's storage scale: real bytes per GiB of PV capacity. Default 1 MiB (1048576): "a lab GiB holds a real MiB",
   * so a 2Gi PV is a 2 MiB tmpfs and a backup of a "500 GiB" volume copies at most 500 MiB.
   */
  bytesPerGiB?: number;
  /** Size-limit volume folders with a tmpfs each (root on Linux only; default true). Otherwise plain folders. */
  tmpfs?: boolean;
  /**
   * Image name without tag (e.g. "ghcr.io/hks/backup-functions") → path mapping. Pods run their command as local
   * processes; paths in command, args and env values are rewritten with the image's pathMap. Other images run as-is.
   */
  images?: Record<string, ImageMapping>;
  /** The lab's clock (default: real time). Timestamps and schedules follow it; tests move it and call tick(). */
  clock?: () => Date;
  /** Run the CronJob, Job, provisioning and pod (scheduler + kubelet) controllers (default true). */
  controllers?: boolean;
}

export interface KubeLab {
  name: string;
  /** "http://127.0.0.1:<port>" */
  url: string;
  /** Bearer token (random, stable across restarts when state persists). */
  token: string;
  faults: FaultRegistry;
  /**
   * A kubeconfig YAML (cluster/user/context named after `name`, token auth, current-context set). Its server is `url`
   * with https (same port, self-signed CA embedded): kubectl only sends bearer tokens over TLS.
   */
  kubeconfig(): string;
  /** In-process access for the lab's own controllers and tests. */
  store: KubeStore;
  /** The folder holding PV folders. */
  volumesDir: string;
  /** The local folder of a PersistentVolume (known once the PV exists). */
  volumeFolder(pvName: string): string | undefined;
  /**
   * A PV folder's usage: `usedBytes`/`capacityBytes`/`availableBytes` in lab bytes (real × 2^30 / bytesPerGiB,
   * comparable with the PV capacity); `real` has the machine's numbers (tmpfs statfs, or du of a plain folder).
   */
  volumeUsage(pvName: string): VolumeUsage | undefined;
  /**
   * "http://127.0.0.1:<port>/metrics": kubelet-style volume stats (Prometheus text format 0.0.4, no auth) for every Bound
   * claim, with the virtual names (labels `namespace`, `persistentvolumeclaim`) and byte values in lab bytes, measured
   * at scrape time.
   */
  metricsUrl: string;
  /** What `/metrics` reports, measured now: every Bound claim whose volume folder exists, with its usage. */
  volumeStats(): VolumeStat[];
  /**
   * The Kubernetes API requests this server answered (not /metrics scrapes, health probes or /_lab), by method, since it
   * started or was last reset: what clients really asked, e.g. to show that a reconcile pass wrote nothing.
   */
  requests: RequestCounter;
  /** Runs the controllers once now (CronJob schedules, Job deadlines/TTL, pod scheduling) against `clock`. */
  tick(): void;
  /** Also ends open watches, kills pod processes and unmounts volumes. */
  close(): Promise<void>;
}

export interface RequestCounts {
  /** GET and HEAD, watches included. */
  reads: number;
  /** POST, PUT, PATCH and DELETE. */
  writes: number;
  byMethod: Record<string, number>;
}

/** Counts API requests by method; `counts()` is a copy, `reset()` starts from zero. */
export class RequestCounter {
  private byMethod: Record<string, number> = {};

  record(method: string): void {
    this.byMethod[method] = (this.byMethod[method] ?? 0) + 1;
  }

  counts(): RequestCounts {
    const byMethod = { ...this.byMethod };
    const sum = (methods: string[]) => methods.reduce((n, m) => n + (byMethod[m] ?? 0), 0);
    return { reads: sum(["GET", "HEAD"]), writes: sum(["POST", "PUT", "PATCH", "DELETE"]), byMethod };
  }

  reset(): void {
    this.byMethod = {};
  }
}

interface PersistedState extends StoreSnapshot {
  token: string;
  port?: number;
  tls?: ServingCert & { hosts: string[] };
}

interface Route {
  def: KindDef;
  namespace?: string;
  name?: string;
  subresource?: string;
  watch: boolean;
}

const PUBLIC_PATHS = new Set(["/healthz", "/livez", "/readyz"]);
const APPLY = "application/apply-patch+yaml";
const PATCH_TYPES = ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", APPLY];

export async function startKubeApiServer(options: KubeLabOptions): Promise<KubeLab> {
  const host = options.host ?? "127.0.0.1";
  const registry = new KindRegistry();
  const store = new KubeStore(registry, options.clock);
  const faults = new FaultRegistry();
  const requests = new RequestCounter();
  const state = options.stateFile ? await loadState(options.stateFile) : undefined;
  const token = state?.token ?? randomBytes(24).toString("hex");
  const certHosts = [...new Set([host, "127.0.0.1", "localhost", "::1"])];
  // Kept across restarts so a saved kubeconfig (with this CA) keeps working.
  const tls =
    state?.tls && certHosts.every((h) => state.tls?.hosts.includes(h))
      ? state.tls
      : { ...selfSignedCert(`kube-lab-${options.name}`, certHosts), hosts: certHosts };
  if (state) store.load(state);
  seed(store, options);
  const stopControllers = [startBindingController(store), startQuotaController(store)];

  const persistentVolumes = !!(options.volumesDir || options.stateFile);
  const volumesDir =
    options.volumesDir ??
    (options.stateFile
      ? path.join(path.dirname(options.stateFile), "volumes", options.name)
      : await mkdtemp(path.join(tmpdir(), `kube-lab-volumes-${options.name}-`)));
  const volumes = new VolumeManager({
    dir: volumesDir,
    bytesPerGiB: options.bytesPerGiB ?? DEFAULT_BYTES_PER_GIB,
    tmpfs: options.tmpfs,
    persistent: persistentVolumes,
  });
  await volumes.start();
  const stopVolumes = volumes.track(store);
  let runner: PodRunner | undefined;
  let jobs: JobController | undefined;
  let cronJobs: CronJobController | undefined;
  let stopProvisioner: (() => void) | undefined;
  let loop: NodeJS.Timeout | undefined;
  if (options.controllers !== false) {
    stopProvisioner = startProvisioner(store, (pv) => path.join(volumesDir, pv));
    runner = new PodRunner(store, {
      volumes,
      images: options.images,
      workDir: await mkdtemp(path.join(tmpdir(), `kube-lab-pods-${options.name}-`)),
    });
    runner.start();
    jobs = new JobController(store, runner);
    jobs.start();
    cronJobs = new CronJobController(store);
    cronJobs.start();
    loop = setInterval(() => tick(), 1000);
    loop.unref();
  }
  function tick(): void {
    try {
      cronJobs?.tick();
      jobs?.tick();
      runner?.tick();
    } catch (error) {
      console.error("kube lab: controller tick failed", error);
    }
  }

  const persistence = options.stateFile ? persist(store, options.stateFile, () => ({ token, port: boundPort, tls })) : undefined;
  const watches = new Set<ServerResponse>();
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendStatus(res, toStatusError(error));
      else res.end();
    });
  };
  // One port, two protocols: plain HTTP for `url` (client-node, curl), TLS for the kubeconfig, because client-go
  // (kubectl) drops bearer tokens on non-TLS connections. The first byte of a TLS handshake is 0x16.
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

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = new URL(req.url ?? "/", "http://lab");
    const pathname = parsed.pathname.replace(/\/+$/, "") || "/";
    const method = (req.method ?? "GET").toUpperCase();
    if (pathname === "/_lab/faults") return labFaults(req, res, method);
    if (!PUBLIC_PATHS.has(pathname) && pathname !== "/metrics") requests.record(method);
    const fault = faults.take(method, pathname);
    if (fault?.action === "hang") return; // never answered; close() drops the connection
    if (fault) {
      const code = fault.status ?? 500;
      const reason = reasonForCode(code) || "InternalError";
      throw new StatusError(code, reason, fault.message ?? "Internal error occurred: injected fault");
    }
    if (PUBLIC_PATHS.has(pathname)) return sendText(res, 200, "ok");
    if (pathname === "/metrics" && (method === "GET" || method === "HEAD")) {
      // Like a scrape target beside the vCluster's API (a real kubelet's /metrics/... wants auth; the lab's does not).
      const text = renderVolumeStats(volumeStatsOf(store, (pv) => volumes.usage(pv)));
      res.writeHead(200, { "Content-Type": PROMETHEUS_TEXT_CONTENT_TYPE, "Content-Length": Buffer.byteLength(text) });
      res.end(method === "HEAD" ? undefined : text);
      return;
    }
    if (req.headers.authorization !== `Bearer ${token}`) throw unauthorized();
    if (pathname === "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews") {
      if (method !== "POST") throw methodNotAllowed();
      return sendJson(res, 201, selfSubjectAccessReview(parseBody(await readBody(req), mediaType(req))));
    }
    const logPath = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(pathname);
    if (logPath) {
      if (method !== "GET") throw methodNotAllowed();
      return podLog(req, res, decodeURIComponent(logPath[1] ?? ""), decodeURIComponent(logPath[2] ?? ""), parsed.searchParams);
    }
    if (method === "GET" || method === "HEAD") {
      const doc = discoveryDoc(pathname);
      if (doc !== undefined) return sendJson(res, 200, doc);
    }
    const route = parseRoute(registry, pathname);
    if (!route) throw pathNotFound();
    return handleResource(req, res, method, route, parsed.searchParams);
  }

  function discoveryDoc(pathname: string): unknown {
    if (pathname === "/version") return SERVER_VERSION;
    if (pathname === "/api") return apiVersions(`${host}:${boundPort}`);
    if (pathname === "/apis") return apiGroupList(registry);
    if (pathname === "/openapi/v3") return openapiIndex(registry);
    let m = /^\/api\/([^/]+)$/.exec(pathname);
    if (m) return apiResourceList(registry, "", m[1] ?? "");
    m = /^\/apis\/([^/]+)$/.exec(pathname);
    if (m) return apiGroupDoc(registry, m[1] ?? "");
    m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(pathname);
    if (m) return apiResourceList(registry, m[1] ?? "", m[2] ?? "");
    m = /^\/openapi\/v3\/api\/([^/]+)$/.exec(pathname);
    if (m) return openapiDocument(registry, "", m[1] ?? "");
    m = /^\/openapi\/v3\/apis\/([^/]+)\/([^/]+)$/.exec(pathname);
    if (m) return openapiDocument(registry, m[1] ?? "", m[2] ?? "");
    return undefined;
  }

  /** GET /api/v1/namespaces/{ns}/pods/{name}/log, as the kubelet serves it through the apiserver. */
  async function podLog(req: IncomingMessage, res: ServerResponse, namespace: string, name: string, query: URLSearchParams): Promise<void> {
    const pod = store.read("v1", "Pod", namespace, name);
    const mains: string[] = (Array.isArray(pod.spec?.containers) ? pod.spec.containers : []).map((c: { name?: string }) => String(c.name));
    const inits: string[] = (Array.isArray(pod.spec?.initContainers) ? pod.spec.initContainers : []).map((c: { name?: string }) =>
      String(c.name),
    );
    let container = query.get("container") ?? "";
    if (!container) {
      if (mains.length !== 1)
        throw badRequest(
          `a container name must be specified for pod ${name}, choose one of: [${mains.join(" ")}]${inits.length ? ` or one of the init containers: [${inits.join(" ")}]` : ""}`,
        );
      container = mains[0] ?? "";
    }
    if (!mains.includes(container) && !inits.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
    const previous = query.get("previous") === "true";
    const buffer = runner?.logsOf(pod, container, previous);
    const statuses: any[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    const waiting = statuses.find((s) => s?.name === container)?.state?.waiting;
    if (!buffer) {
      if (previous) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
      if (pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed")
        throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${waiting?.reason ?? "ContainerCreating"}`);
      return sendText(res, 200, ""); // finished before this lab process started: the logs are gone
    }
    const num = (key: string) => (query.get(key) !== null && query.get(key) !== "" ? Number(query.get(key)) : undefined);
    const timestamps = query.get("timestamps") === "true";
    const lines = selectLines(
      buffer,
      { tailLines: num("tailLines"), sinceSeconds: num("sinceSeconds"), sinceTime: query.get("sinceTime") ?? undefined },
      store.clock(),
    );
    let limit = num("limitBytes") ?? Infinity;
    const follow = query.get("follow") === "true" && !buffer.done;
    res.writeHead(200, {
      "Content-Type": "text/plain",
      "Cache-Control": "no-cache, private",
      ...(follow ? { "Transfer-Encoding": "chunked" } : {}),
    });
    const write = (text: string): boolean => {
      if (limit <= 0) return false;
      const bytes = Buffer.from(text);
      const part = bytes.length > limit ? bytes.subarray(0, limit) : bytes;
      limit -= part.length;
      res.write(part);
      return limit > 0;
    };
    for (const line of lines) if (!write(renderLine(line, timestamps))) break;
    if (!follow || limit <= 0) {
      res.end();
      return;
    }
    watches.add(res);
    const stop = buffer.onLine(
      (line) => {
        if (!write(renderLine(line, timestamps))) end();
      },
      () => end(),
    );
    function end() {
      stop();
      watches.delete(res);
      res.end();
    }
    req.on("close", end);
  }

  async function labFaults(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (method === "DELETE") {
      faults.clear();
      return sendJson(res, 200, { cleared: true });
    }
    if (method !== "POST") throw methodNotAllowed();
    const rule = parseBody(await readBody(req), "application/json") as FaultRule;
    if (!isRecord(rule) || typeof rule.path !== "string" || (rule.action !== "fail" && rule.action !== "hang"))
      throw badRequest("a fault rule needs a path (regular expression) and an action (fail or hang)");
    faults.add(rule);
    return sendJson(res, 201, rule);
  }

  async function handleResource(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    route: Route,
    query: URLSearchParams,
  ): Promise<void> {
    const { def } = route;
    const verb = verbOf(method, route, query);
    if (!verb || !def.verbs.includes(verb)) throw methodNotAllowed();
    if (route.subresource && (route.subresource !== "status" || !def.statusSubresource)) throw pathNotFound();
    const dryRun = parseDryRun(query);
    if (verb === "list" || verb === "watch") parseListQuery(query, verb === "watch");
    const scope: WriteOptions["scope"] = route.subresource === "status" ? "status" : "main";
    const options = verb === "create" ? "CreateOptions" : verb === "update" ? "UpdateOptions" : "PatchOptions";
    const write = ["create", "update", "patch"].includes(verb) ? parseWriteQuery(query, options, mediaType(req) === APPLY) : undefined;
    const manager = write?.fieldManager ?? userAgentManager(req);
    const decoded = (obj: KubeObject, how: "decode" | "apply" = "decode") => {
      const warnings = checkUnknownFields(obj, def, write?.fieldValidation ?? "Warn", how, `${route.namespace ?? ""}/${route.name ?? ""}`);
      if (warnings.length) res.setHeader("Warning", warningHeader(warnings));
      return obj;
    };

    switch (verb) {
      case "get": {
        const obj = store.read(def.apiVersion, def.kind, route.namespace, route.name ?? "");
        return sendJson(
          res,
          200,
          wantsTable(req) ? toTable(def, [obj], obj.metadata.resourceVersion ?? "", query.get("includeObject")) : obj,
        );
      }
      case "list": {
        const items = store.list(def.apiVersion, def.kind, {
          namespace: route.namespace,
          labelSelector: query.get("labelSelector") ?? undefined,
          fieldSelector: query.get("fieldSelector") ?? undefined,
        });
        if (wantsTable(req)) return sendJson(res, 200, toTable(def, items, store.resourceVersion, query.get("includeObject")));
        return sendJson(res, 200, {
          kind: `${def.kind}List`,
          apiVersion: def.apiVersion,
          metadata: { resourceVersion: store.resourceVersion },
          items,
        });
      }
      case "watch":
        return watch(req, res, route, query);
      case "create": {
        const body = decoded(objectBody(await readBody(req), mediaType(req), def, route));
        if (!body.metadata.managedFields) recordUpdate(body, manager, def.apiVersion);
        const created = store.create(body, { scope: "main", dryRun });
        return sendJson(res, 201, created);
      }
      case "update": {
        const body = decoded(objectBody(await readBody(req), mediaType(req), def, route));
        return sendJson(res, 200, store.update(body, { scope, dryRun }));
      }
      case "patch":
        return patch(req, res, route, manager, dryRun, scope, decoded);
      case "delete": {
        const text = await readBody(req);
        const opts = text.trim() ? (parseBody(text, "application/json") as Record<string, unknown>) : {};
        parsePropagationPolicy(query.get("propagationPolicy"));
        parsePropagationPolicy(opts.propagationPolicy);
        const preconditions = isRecord(opts.preconditions) ? (opts.preconditions as { uid?: string; resourceVersion?: string }) : undefined;
        const deleted = store.delete(def.apiVersion, def.kind, route.namespace, route.name ?? "", {
          dryRun: dryRun || (Array.isArray(opts.dryRun) && opts.dryRun.includes("All")),
          preconditions,
        });
        if (def.deleteReturnsObject) return sendJson(res, 200, deleted);
        return sendJson(res, 200, {
          kind: "Status",
          apiVersion: "v1",
          metadata: {},
          status: "Success",
          details: { name: deleted.metadata.name, ...(def.group ? { group: def.group } : {}), kind: def.plural, uid: deleted.metadata.uid },
        });
      }
      case "deletecollection": {
        const items = store.list(def.apiVersion, def.kind, {
          namespace: route.namespace,
          labelSelector: query.get("labelSelector") ?? undefined,
          fieldSelector: query.get("fieldSelector") ?? undefined,
        });
        const deleted = items.map((o) => store.delete(def.apiVersion, def.kind, o.metadata.namespace, o.metadata.name ?? "", { dryRun }));
        return sendJson(res, 200, {
          kind: `${def.kind}List`,
          apiVersion: def.apiVersion,
          metadata: { resourceVersion: store.resourceVersion },
          items: deleted,
        });
      }
    }
    throw methodNotAllowed();
  }

  async function patch(
    req: IncomingMessage,
    res: ServerResponse,
    route: Route,
    manager: string,
    dryRun: boolean,
    scope: WriteOptions["scope"],
    decoded: (obj: KubeObject, how?: "decode" | "apply") => KubeObject,
  ): Promise<void> {
    const { def } = route;
    const type = mediaType(req);
    if (!PATCH_TYPES.includes(type))
      throw new StatusError(
        415,
        "UnsupportedMediaType",
        `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(", ")}`,
      );
    const body = parseBody(await readBody(req), type);
    const name = route.name ?? "";
    const existing = store.get(def.apiVersion, def.kind, route.namespace, name);
    if (type === APPLY) {
      const applied = decoded(checkedObject(body, def, route), "apply");
      if (Array.isArray(applied.metadata.managedFields)) throw badRequest("metadata.managedFields must be nil");
      const merged = serverSideApply(existing, applied, manager);
      if (!existing) return sendJson(res, 201, store.create(merged, { scope: "main", dryRun }));
      merged.metadata.resourceVersion = applied.metadata.resourceVersion ?? existing.metadata.resourceVersion;
      return sendJson(res, 200, store.update(merged, { scope, dryRun }));
    }
    if (!existing) throw notFound(def, name);
    let patched: unknown;
    if (type === "application/json-patch+json") patched = jsonPatch(existing, body);
    else if (!isRecord(body)) throw badRequest("patch body must be a JSON object");
    else if (type === "application/merge-patch+json") patched = mergePatch(existing, body);
    else patched = strategicMergePatch(existing, body);
    if (!isRecord(patched) || !isRecord(patched.metadata)) throw badRequest("the patched object has no metadata");
    const obj = decoded(patched as KubeObject);
    obj.apiVersion = def.apiVersion;
    obj.kind = def.kind;
    obj.metadata.name = existing.metadata.name;
    if (def.namespaced) obj.metadata.namespace = existing.metadata.namespace;
    if (!obj.metadata.resourceVersion) obj.metadata.resourceVersion = existing.metadata.resourceVersion;
    return sendJson(res, 200, store.update(obj, { scope, dryRun }));
  }

  function watch(req: IncomingMessage, res: ServerResponse, route: Route, query: URLSearchParams): void {
    const { def } = route;
    const labels = parseLabelSelector(query.get("labelSelector"));
    const fields = parseFieldSelector(query.get("fieldSelector"), def);
    const table = wantsTable(req);
    const includeObject = query.get("includeObject");
    const matches = (obj: KubeObject | undefined) =>
      !!obj &&
      (!def.namespaced || !route.namespace || obj.metadata.namespace === route.namespace) &&
      (!route.name || obj.metadata.name === route.name) &&
      matchesLabels(obj.metadata.labels, labels) &&
      matchesFields(obj, fields);
    const rvParam = query.get("resourceVersion");
    const replay = rvParam && rvParam !== "0" ? store.eventsSince(Number(rvParam)) : undefined;
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked" });
    res.flushHeaders();
    const send = (type: string, obj: unknown) => {
      const object =
        table && isRecord(obj) && obj.kind !== "Status"
          ? toTable(def, [obj as KubeObject], String((obj as KubeObject).metadata.resourceVersion ?? ""), includeObject)
          : obj;
      res.write(JSON.stringify({ type, object }) + "\n");
    };
    if (rvParam && rvParam !== "0" && !replay) {
      send("ERROR", new StatusError(410, "Expired", `too old resource version: ${rvParam} (${store.resourceVersion})`).toStatus());
      res.end();
      return;
    }
    const deliver = (event: StoreEvent) => {
      if (event.def !== def) return;
      const now = matches(event.object);
      const before = matches(event.oldObject);
      if (event.type === "ADDED" && now) send("ADDED", event.object);
      else if (event.type === "DELETED" && (now || before)) send("DELETED", event.object);
      else if (event.type === "MODIFIED") {
        if (now && before) send("MODIFIED", event.object);
        else if (now) send("ADDED", event.object);
        else if (before) send("DELETED", event.object);
      }
    };
    if (replay) for (const event of replay) deliver(event);
    else for (const obj of store.list(def.apiVersion, def.kind, { namespace: route.namespace })) if (matches(obj)) send("ADDED", obj);
    const unsubscribe = store.subscribe(deliver);
    watches.add(res);
    const timeout = parseInteger(query, "timeoutSeconds") ?? 0;
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    const stop = () => {
      unsubscribe();
      watches.delete(res);
      if (timer) clearTimeout(timer);
    };
    res.on("close", stop);
    req.on("close", stop);
  }

  await listen(server, host, options.port, state?.port);
  const boundPort = portOf(server);
  const url = `http://${host}:${boundPort}`;
  persistence?.saveNow();

  return {
    name: options.name,
    url,
    token,
    faults,
    store,
    volumesDir,
    volumeFolder: (pv) => volumes.folder(pv),
    volumeUsage: (pv) => volumes.usage(pv),
    metricsUrl: `${url}/metrics`,
    volumeStats: () => volumeStatsOf(store, (pv) => volumes.usage(pv)),
    requests,
    tick,
    kubeconfig() {
      return stringifyYaml({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
          {
            name: options.name,
            cluster: { server: url.replace(/^http:/, "https:"), "certificate-authority-data": Buffer.from(tls.cert).toString("base64") },
          },
        ],
        users: [{ name: options.name, user: { token } }],
        contexts: [{ name: options.name, context: { cluster: options.name, user: options.name, namespace: "default" } }],
        "current-context": options.name,
        preferences: {},
      });
    },
    async close() {
      if (loop) clearInterval(loop);
      cronJobs?.stop();
      jobs?.stop();
      // Processes first (they write into the volumes), then the volumes (archived and unmounted).
      await runner?.close();
      stopProvisioner?.();
      stopVolumes();
      await volumes.close();
      for (const res of watches) res.end();
      watches.clear();
      for (const stop of stopControllers) stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        httpServer.closeAllConnections();
        httpsServer.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      await persistence?.flush();
    },
  };
}

function verbOf(method: string, route: Route, query: URLSearchParams): string | undefined {
  const watching = route.watch || parseBool(query, "watch") === true;
  switch (method) {
    case "GET":
    case "HEAD":
      if (watching) return "watch";
      return route.name ? "get" : "list";
    case "POST":
      return route.name ? undefined : "create";
    case "PUT":
      return route.name ? "update" : undefined;
    case "PATCH":
      return route.name ? "patch" : undefined;
    case "DELETE":
      return route.name ? "delete" : "deletecollection";
  }
  return undefined;
}

/** The apiserver's default field manager: the user agent up to the first slash. */
function userAgentManager(req: IncomingMessage): string {
  const agent = req.headers["user-agent"];
  return agent ? (agent.split("/")[0] ?? "unknown").slice(0, 128) : "unknown";
}

function parseRoute(registry: KindRegistry, pathname: string): Route | undefined {
  const segments = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === "api" && segments.length >= 2) {
    group = "";
    version = segments[1] ?? "";
    rest = segments.slice(2);
  } else if (segments[0] === "apis" && segments.length >= 3) {
    group = segments[1] ?? "";
    version = segments[2] ?? "";
    rest = segments.slice(3);
  } else return undefined;
  let watch = false;
  if (rest[0] === "watch") {
    watch = true;
    rest = rest.slice(1);
  }
  if (rest[0] === "namespaces" && rest.length >= 3) {
    const def = registry.byResource(group, version, rest[2] ?? "");
    if (def?.namespaced) {
      if (rest.length > 5) return undefined;
      return { def, namespace: rest[1], name: rest[3], subresource: rest[4], watch };
    }
  }
  const def = registry.byResource(group, version, rest[0] ?? "");
  if (!def || rest.length > 3) return undefined;
  if (def.namespaced && rest.length > 1) return undefined;
  return { def, name: rest[1], subresource: rest[2], watch };
}

/** A full object from a POST/PUT body, checked against the URL it was sent to. */
function objectBody(text: string, type: string, def: KindDef, route: Route): KubeObject {
  return checkedObject(parseBody(text, type), def, route);
}

function checkedObject(body: unknown, def: KindDef, route: Route): KubeObject {
  if (!isRecord(body)) throw badRequest("the body of the request was in an unknown format");
  const obj = body as KubeObject;
  if (obj.apiVersion !== undefined && obj.apiVersion !== def.apiVersion)
    throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${def.apiVersion})`);
  if (obj.kind !== undefined && obj.kind !== def.kind)
    throw badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${def.kind})`);
  obj.apiVersion = def.apiVersion;
  obj.kind = def.kind;
  if (!isRecord(obj.metadata)) obj.metadata = {};
  if (route.name !== undefined) {
    if (obj.metadata.name !== undefined && obj.metadata.name !== route.name)
      throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${route.name})`);
    obj.metadata.name = route.name;
  }
  if (def.namespaced) {
    if (obj.metadata.namespace !== undefined && obj.metadata.namespace !== route.namespace)
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    obj.metadata.namespace = route.namespace;
  }
  return obj;
}

function seed(store: KubeStore, options: KubeLabOptions): void {
  for (const name of ["default", "kube-system", "kube-public", "kube-node-lease", ...options.namespaces])
    if (!store.get("v1", "Namespace", undefined, name))
      store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } }, { scope: "main" });
  // The lab's own default class: dynamically provisioned local folders (see controllers/provisioner.ts).
  if (!store.get("storage.k8s.io/v1", "StorageClass", undefined, STANDARD_CLASS)) store.create(standardStorageClass());
  for (const node of options.nodes) {
    const wanted = seedNode(node.name, node.region, node.zone) as KubeObject;
    const existing = store.get("v1", "Node", undefined, node.name);
    if (!existing) store.create(wanted);
    else if (JSON.stringify(existing.metadata.labels) !== JSON.stringify(wanted.metadata.labels))
      store.modify("v1", "Node", undefined, node.name, (o) => (o.metadata.labels = { ...o.metadata.labels, ...wanted.metadata.labels }));
  }
}

async function loadState(file: string): Promise<PersistedState | undefined> {
  try {
    const state = JSON.parse(await readFile(file, "utf8")) as PersistedState;
    return Array.isArray(state.objects) ? state : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Writes the store to `file` shortly after each change; temp + rename so a crash never leaves half a file. */
function persist(store: KubeStore, file: string, extra: () => { token: string; port?: number }) {
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const write = () => {
    timer = undefined;
    const state: PersistedState = { ...extra(), ...store.snapshot() };
    writing = writing.then(async () => {
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temp, JSON.stringify(state, null, 1));
      await rename(temp, file);
    });
    writing.catch((error: unknown) => console.error("kube lab: saving state failed", error));
  };
  store.subscribe(() => {
    if (!timer) timer = setTimeout(write, 50);
  });
  return {
    saveNow: write,
    async flush() {
      if (timer) {
        clearTimeout(timer);
        write();
      }
      await writing.catch(() => undefined);
    },
  };
}

function portOf(server: NetServer): number | undefined {
  const address = server.address() as AddressInfo | null;
  return address?.port;
}

async function listen(server: NetServer, host: string, port: number | undefined, previousPort: number | undefined): Promise<void> {
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
