import { registerEnumType } from "type-graphql";

export const COPY_DESTINATION_DESCRIPTION =
  "An off-node copy (3-2-1): a Storage Volume of the same workspace on another Proxmox node than the destination, and a folder in it. Each successful snapshot is copied there after its run (restic copy), and retention applies there too; RESTIC format only. A volume on another node can be asked for with createStorageVolume's notOnNodeOfVolumeId.";

export enum RestoreSource {
  PRIMARY = "PRIMARY",
  COPY = "COPY",
}
registerEnumType(RestoreSource, {
  name: "RestoreSource",
  description: "PRIMARY: the backup's destination repository. COPY: its off-node copy, e.g. when the destination's node is down.",
});

export enum BackupCopyStatus {
  PENDING = "PENDING",
  COPYING = "COPYING",
  COPIED = "COPIED",
  FAILED = "FAILED",
}
registerEnumType(BackupCopyStatus, {
  name: "BackupCopyStatus",
  description:
    "A successful run's off-node copy. FAILED does not fail the run; the copy is retried after the next run (restic copy copies only what is missing).",
});
