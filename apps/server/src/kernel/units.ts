/** Bytes in a GiB: Proxmox sizes (`500G`), Kubernetes quantities (`500Gi`) and the product's sizes all mean this. */
export const GiB = 1024 ** 3;

/** Bytes as GiB with two decimals, for display. */
export const bytesToGiB = (bytes: number): number => Math.round((bytes / GiB) * 100) / 100;
