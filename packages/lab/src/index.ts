export { startLab, hostVolumeStats, type Lab, type LabOptions, type LabClusterSpec } from "./lab.js";
export { FaultRegistry, type FaultRule } from "./faults.js";
export { setNodeDown } from "./kubernetes/node-faults.js";
export { startProxmoxApi, type ProxmoxLab, type ProxmoxLabOptions } from "./proxmox/server.js";
export {
  startKubeApiServer,
  DEFAULT_BYTES_PER_GIB,
  type KubeLab,
  type KubeLabOptions,
  RequestCounter,
  type RequestCounts,
  type ImageMapping,
  type VolumeUsage,
  type VolumeStat,
} from "./kubernetes/server.js";
export {
  hostPvcName,
  hostNamespace,
  safeConcatName,
  parsePrometheusText,
  renderVolumeStats,
  PROMETHEUS_TEXT_CONTENT_TYPE,
  type PrometheusSample,
} from "./kubernetes/metrics.js";
