import { ApiException, CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { PlatformError, withTimeout } from "../errors.js";
import { FIELD_MANAGER } from "./kinds/labels.js";

type Header = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };

/** One vCluster's API, through @kubernetes/client-node; failures become PlatformErrors with the apiserver's message. */
export class VClusterClient {
  private readonly objects: KubernetesObjectApi;
  private readonly core: CoreV1Api;

  constructor(
    readonly name: string,
    kubeconfig: KubeConfig,
    private readonly timeoutMs = 30_000,
  ) {
    this.objects = KubernetesObjectApi.makeApiClient(kubeconfig);
    this.core = kubeconfig.makeApiClient(CoreV1Api);
  }

  /** The container's log (the last 2000 lines), as `kubectl logs` shows it. */
  podLogs(namespace: string, name: string, container: string): Promise<string> {
    return this.call(`read the log of pod ${namespace}/${name}`, () => this.core.readNamespacedPodLog({ name, namespace, container, tailLines: 2000 }));
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

  /** Deletes the object; one already gone counts as deleted. */
  async delete(header: Header): Promise<void> {
    try {
      await this.call(`delete ${describe(header)}`, () => this.objects.delete(header));
    } catch (error) {
      if (error instanceof PlatformError && error.status === 404) return;
      throw error;
    }
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
