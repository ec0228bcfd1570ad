/** Bytes in a GiB: Proxmox sizes (`500G`), Kubernetes quantities (`500Gi`) and the product's sizes all mean this. */
export const GiB = 1024 ** 3;

/** Bytes as GiB with two decimals, for display. */
export const bytesToGiB = (bytes: number): number => Math.round((bytes / GiB) * 100) / 100;

/**
 * The lab's scale: its volumes hold `bytesPerGiB` real bytes per GiB of capacity ("a lab GiB is a real MiB"), and its
 * kubelet metrics report usage in lab bytes. A figure measured on the machine (a backup's bytes) becomes comparable with
 * the capacity and usage the product shows once scaled by this; without a lab, bytes are bytes.
 */
export const toLabBytes =
  (bytesPerGiB: number | undefined) =>
  (realBytes: number): number =>
    bytesPerGiB ? Math.round((realBytes * GiB) / bytesPerGiB) : realBytes;

/** The inverse of toLabBytes: a figure the product shows, back in bytes on the machine (what a pod's tools measure). */
export const fromLabBytes =
  (bytesPerGiB: number | undefined) =>
  (shownBytes: number): number =>
    bytesPerGiB ? Math.round((shownBytes * bytesPerGiB) / GiB) : shownBytes;
