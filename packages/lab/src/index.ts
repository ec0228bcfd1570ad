export { startLab, type Lab, type LabOptions, type LabClusterSpec } from "./lab.js";
export { FaultRegistry, type FaultRule } from "./faults.js";
export { startProxmoxApi, type ProxmoxLab, type ProxmoxLabOptions } from "./proxmox/server.js";
export { startKubeApiServer, type KubeLab, type KubeLabOptions } from "./kubernetes/server.js";
