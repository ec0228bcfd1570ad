import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify as stringifyYaml } from "yaml";
import { FaultRegistry } from "../faults.js";
import type { ApiContext } from "./api-context.js";
import { startBindingController } from "./controllers/binding.js";
import { CronJobController } from "./controllers/cronjob.js";
import { JobController } from "./controllers/job.js";
import { PodRunner, type ImageMapping } from "./controllers/pods.js";
import { standardStorageClass, startProvisioner, STANDARD_CLASS } from "./controllers/provisioner.js";
import { startQuotaController } from "./controllers/quota.js";
import { DEFAULT_BYTES_PER_GIB, VolumeManager, type VolumeUsage } from "./controllers/volumes.js";
import { dispatch } from "./dispatch.js";
import { sendStatus, toStatusError } from "./http.js";
import { KindRegistry } from "./kinds/index.js";
import { seedNode } from "./kinds/node.js";
import { dualProtocolServer, listen, portOf } from "./listen.js";
import { volumeStatsOf, type VolumeStat } from "./metrics.js";
import { RequestCounter } from "./request-counter.js";
import { loadState, persist } from "./state-file.js";
import { KubeStore } from "./store.js";
import { selfSignedCert } from "./tls.js";
import type { KubeObject } from "./types.js";

export { KubeStore } from "./store.js";
export type { StoreEvent, StoreListener, ListOptions, WriteOptions, DeleteOptions, Admission } from "./store.js";
export type { KubeObject, ObjectMeta, ManagedFieldsEntry } from "./types.js";
export { StatusError } from "./errors.js";
export { RequestCounter, type RequestCounts } from "./request-counter.js";
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
  /** How often a watch that allows bookmarks gets a BOOKMARK event (default 60 s, as the apiserver). */
  bookmarkIntervalMs?: number;
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
  /**
   * Ends every open watch (and followed log) at once, as a dropped connection or an apiserver restart does; returns how
   * many were open. Clients must reconnect and resume.
   */
  endWatches(): number;
  /** Runs the controllers once now (CronJob schedules, Job deadlines/TTL, pod scheduling) against `clock`. */
  tick(): void;
  /** Also ends open watches, kills pod processes and unmounts volumes. */
  close(): Promise<void>;
}

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
  const streams = new Set<ServerResponse>();
  const ctx: ApiContext = {
    store,
    registry,
    faults,
    requests,
    volumes,
    runner,
    token,
    host,
    port: () => boundPort,
    streams,
    bookmarkIntervalMs: options.bookmarkIntervalMs,
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    dispatch(ctx, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendStatus(res, toStatusError(error));
      else res.end();
    });
  };
  const { server, close: closeServer } = dualProtocolServer(tls, onRequest);

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
    endWatches() {
      const open = streams.size;
      // Destroyed, not ended: the client sees the connection drop, as when a proxy or the apiserver goes away.
      for (const res of [...streams]) res.destroy();
      streams.clear();
      return open;
    },
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
      for (const res of streams) res.end();
      streams.clear();
      for (const stop of stopControllers) stop();
      await closeServer();
      await persistence?.flush();
    },
  };
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
