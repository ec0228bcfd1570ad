import http from "node:http";
import https from "node:https";
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  type KubernetesObject,
} from "@kubernetes/client-node";
import { PlatformError, withTimeout } from "../errors.js";
import { FIELD_MANAGER } from "./kinds/labels.js";

type Header = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };

/** One vCluster's API, through @kubernetes/client-node; failures become PlatformErrors with the apiserver's message. */
export class VClusterClient {
  private readonly objects: KubernetesObjectApi;
  private readonly core: CoreV1Api;

  /** Resource (plural) names by "apiVersion/kind", from the API's discovery documents. */
  private readonly resources = new Map<string, string>();

  constructor(
    readonly name: string,
    private readonly kubeconfig: KubeConfig,
    private readonly timeoutMs = 30_000,
  ) {
    this.objects = KubernetesObjectApi.makeApiClient(kubeconfig);
    this.core = kubeconfig.makeApiClient(CoreV1Api);
  }

  /** The container's log (the last 2000 lines), as `kubectl logs` shows it. */
  podLogs(namespace: string, name: string, container: string): Promise<string> {
    return this.call(`read the log of pod ${namespace}/${name}`, () =>
      this.core.readNamespacedPodLog({ name, namespace, container, tailLines: 2000 }),
    );
  }

  /**
   * The container's log from its first line, followed while it runs (`kubectl logs -f`), as a byte stream: for pods
   * whose output is the product (a snapshot's listing, a file's bytes). Destroying the stream stops the follow.
   */
  async followPodLog(namespace: string, name: string, container: string): Promise<http.IncomingMessage> {
    const server = this.kubeconfig.getCurrentCluster()?.server;
    if (!server) throw new PlatformError("kubernetes", `the kubeconfig of vCluster ${this.name} names no server`);
    const url = new URL(
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/log?container=${encodeURIComponent(container)}&follow=true`,
      server,
    );
    const options: https.RequestOptions = { method: "GET", headers: { Accept: "text/plain" } };
    await this.kubeconfig.applyToHTTPSOptions(options);
    return new Promise((resolve, reject) => {
      const request = (url.protocol === "https:" ? https : http).request(url, options, (res) => {
        const status = res.statusCode ?? 500;
        if (status >= 200 && status <= 299) return resolve(res);
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const body = parseStatus(Buffer.concat(chunks).toString("utf8"));
          reject(
            new PlatformError(
              "kubernetes",
              `vCluster ${this.name} refused to follow the log of pod ${namespace}/${name}: ${body ?? `HTTP ${status}`}`,
              status,
            ),
          );
        });
      });
      request.on("error", (error) =>
        reject(
          new PlatformError(
            "kubernetes",
            `vCluster ${this.name} is unreachable (follow the log of pod ${namespace}/${name}): ${error.message}`,
          ),
        ),
      );
      request.end();
    });
  }

  /** Server-side apply: creates or converges the object; repeating it changes nothing. */
  apply<T extends KubernetesObject>(object: T): Promise<T> {
    return this.call(`apply ${describe(object)}`, () =>
      this.objects.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply),
    );
  }

  /** A JSON merge patch of a few fields, leaving every other field (and its owner) as it is. */
  mergePatch<T extends KubernetesObject>(header: Header, patch: Record<string, unknown>): Promise<T> {
    return this.call(`patch ${describe(header)}`, () =>
      this.objects.patch<T>({ ...header, ...patch } as T, undefined, undefined, FIELD_MANAGER, undefined, PatchStrategy.MergePatch),
    );
  }

  async read<T extends KubernetesObject>(header: Header): Promise<T | undefined> {
    try {
      return await this.call(`read ${describe(header)}`, () => this.objects.read<T>(header));
    } catch (error) {
      if (error instanceof PlatformError && error.status === 404) return undefined;
      throw error;
    }
  }

  async list<T extends KubernetesObject>(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<T[]> {
    const list = await this.call(`list ${kind}`, () =>
      this.objects.list<T>(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, labelSelector),
    );
    return list.items;
  }

  /**
   * The same list as plain JSON objects, without the client's model classes: for lists of thousands of objects read
   * every cycle, whose conversion into those classes costs many times the request (timestamps stay strings).
   */
  async listPlain<T>(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<T[]> {
    return this.call(
      `list ${kind}`,
      async () => (await this.getJson<{ items: T[] }>(await this.listPath(apiVersion, kind, namespace, labelSelector))).items,
    );
  }

  /** A list as plain JSON with the resourceVersion it was read at: where a watch of the same objects starts. */
  async listAt<T>(apiVersion: string, kind: string, labelSelector?: string): Promise<{ items: T[]; resourceVersion: string }> {
    return this.call(`list ${kind}`, async () => {
      const list = await this.getJson<{ items: T[]; metadata?: { resourceVersion?: string } }>(
        await this.listPath(apiVersion, kind, undefined, labelSelector),
      );
      return { items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion ?? "" };
    });
  }

  /**
   * Opens a watch of a kind in every namespace (client-node's Watch: one streamed GET). `onEvent` gets each event as
   * sent (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR); `onDone` once, when the stream ends or fails (an HTTP status on
   * the error's `statusCode`). Returns what aborts it.
   */
  async watch(
    apiVersion: string,
    kind: string,
    query: { resourceVersion?: string; labelSelector?: string; timeoutSeconds?: number; allowWatchBookmarks?: boolean },
    onEvent: (type: string, object: unknown) => void,
    onDone: (error: unknown) => void,
  ): Promise<{ abort(): void }> {
    const path = await this.listPath(apiVersion, kind);
    return new Watch(this.kubeconfig).watch(path, query, onEvent, onDone);
  }

  /**
   * The list as `kubectl get` shows it (server-side printing, a meta.k8s.io Table without the objects): one row of
   * printed columns per object, keyed by column name. A fraction of the objects' size, for the hottest lists.
   */
  async listTable(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<Array<Record<string, unknown>>> {
    return this.call(`list ${kind}`, async () => {
      const path = await this.listPath(apiVersion, kind, namespace, labelSelector);
      const table = await this.getJson<{ columnDefinitions?: Array<{ name: string }>; rows?: Array<{ cells: unknown[] }> }>(
        `${path}${path.includes("?") ? "&" : "?"}includeObject=None`,
        "application/json;as=Table;v=v1;g=meta.k8s.io, application/json",
      );
      const names = (table.columnDefinitions ?? []).map((c) => c.name);
      return (table.rows ?? []).map((row) => Object.fromEntries(names.map((name, i) => [name, row.cells[i]])));
    });
  }

  private async listPath(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<string> {
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    let resource = this.resources.get(`${apiVersion}/${kind}`);
    if (!resource) {
      const discovery = await this.getJson<{ resources: Array<{ name: string; kind: string }> }>(base);
      resource = discovery.resources.find((r) => r.kind === kind && !r.name.includes("/"))?.name;
      if (!resource) throw new PlatformError("kubernetes", `vCluster ${this.name} serves no ${kind} in ${apiVersion}`, 404);
      this.resources.set(`${apiVersion}/${kind}`, resource);
    }
    const path = `${base}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ""}/${resource}`;
    return labelSelector ? `${path}?labelSelector=${encodeURIComponent(labelSelector)}` : path;
  }

  /** Deletes the object; one already gone counts as deleted. */
  async delete(header: Header): Promise<void> {
    try {
      await this.call(`delete ${describe(header)}`, () => this.objects.delete(header));
    } catch (error) {
      if (error instanceof PlatformError && error.status === 404) return;
      throw error;
    }
  }

  private async getJson<T>(path: string, accept = "application/json"): Promise<T> {
    const server = this.kubeconfig.getCurrentCluster()?.server;
    if (!server) throw new PlatformError("kubernetes", `the kubeconfig of vCluster ${this.name} names no server`);
    const url = new URL(path, server);
    const options: https.RequestOptions = { method: "GET", headers: { Accept: accept } };
    await this.kubeconfig.applyToHTTPSOptions(options);
    return new Promise<T>((resolve, reject) => {
      const request = (url.protocol === "https:" ? https : http).request(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 500;
          if (status < 200 || status > 299)
            reject(new ApiException(status, "Unsuccessful HTTP Request", text, res.headers as Record<string, string>));
          else {
            try {
              resolve(JSON.parse(text) as T);
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          }
        });
      });
      request.on("error", reject);
      request.end();
    });
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await withTimeout(fn(), this.timeoutMs, `vCluster ${this.name} (${what})`, "kubernetes");
    } catch (error) {
      if (error instanceof PlatformError) throw error;
      if (error instanceof ApiException) {
        const body = parseStatus(error.body);
        throw new PlatformError("kubernetes", `vCluster ${this.name} refused to ${what}: ${body ?? `HTTP ${error.code}`}`, error.code, {
          cause: error,
        });
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new PlatformError("kubernetes", `vCluster ${this.name} is unreachable (${what}): ${message}`, undefined, { cause: error });
    }
  }
}

const describe = (o: { kind?: string; metadata?: { name?: string; namespace?: string } }) =>
  `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name}`;

function parseStatus(body: unknown): string | undefined {
  const status = typeof body === "string" ? safeJson(body) : body;
  return status && typeof status === "object" && "message" in status ? String((status as { message: unknown }).message) : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text || undefined;
  }
}
