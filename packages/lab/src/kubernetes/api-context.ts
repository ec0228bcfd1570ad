import type { ServerResponse } from "node:http";
import type { FaultRegistry } from "../faults.js";
import type { PodRunner } from "./controllers/pods.js";
import type { VolumeManager } from "./controllers/volumes.js";
import type { KindRegistry } from "./kinds/index.js";
import type { RequestCounter } from "./request-counter.js";
import type { KubeStore } from "./store.js";

/** What the request handlers share: one lab cluster's store, its controllers' state and the server's settings. */
export interface ApiContext {
  store: KubeStore;
  registry: KindRegistry;
  faults: FaultRegistry;
  requests: RequestCounter;
  volumes: VolumeManager;
  /** The pods' processes (their logs), when controllers run. */
  runner: PodRunner | undefined;
  token: string;
  host: string;
  /** The bound port (known once listening). */
  port(): number | undefined;
  /** How often a watch that allows bookmarks gets one (default: a minute, as the apiserver). */
  bookmarkIntervalMs?: number;
  /** Open watches and followed logs: ended at close. */
  streams: Set<ServerResponse>;
}
