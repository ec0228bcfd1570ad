import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";

export enum StorageVolumeStatus {
  PROVISIONING = "PROVISIONING",
  AVAILABLE = "AVAILABLE",
  EXPANDING = "EXPANDING",
  DELETING = "DELETING",
  DELETED = "DELETED",
  FAILED = "FAILED",
}
registerEnumType(StorageVolumeStatus, { name: "StorageVolumeStatus" });

@ObjectType({
  simpleResolvers: true,
  description: "Block storage from Proxmox, offered in the workspace's vCluster as a dedicated StorageClass and PersistentVolume.",
})
export class StorageVolume {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  workspaceId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int)
  sizeGiB!: number;

  @Field(() => StorageVolumeStatus)
  status!: StorageVolumeStatus;

  @Field(() => String, { nullable: true, description: "What went wrong in the last operation, in words a person can act on." })
  failureReason!: string | null;

  @Field(() => String, { nullable: true })
  storageClassName!: string | null;

  @Field(() => String, { nullable: true })
  persistentVolumeName!: string | null;

  @Field(() => String, { nullable: true, description: "The Proxmox volid, e.g. local-lvm:vm-9999-hks-acme-backup-vol-1-1a2b3c4d." })
  proxmoxVolumeId!: string | null;

  @Field(() => String, { nullable: true, description: "The Proxmox node holding the disk." })
  node!: string | null;

  @Field(() => String, { nullable: true, description: "The Proxmox storage holding the disk." })
  storage!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType({ simpleResolvers: true })
export class StorageSummary {
  @Field(() => Int, { description: "GiB held by the workspace's volumes (the hard limit counts these)." })
  provisionedGiB!: number;

  @Field(() => Int)
  planLimitGiB!: number;

  @Field(() => Int)
  availableGiB!: number;

  @Field(() => Float, { description: "The storage charge per month, from the billing ledger." })
  monthlyCost!: number;

  @Field(() => String)
  currency!: string;
}

@ObjectType({ simpleResolvers: true, description: "A backup that writes into a Storage Volume, so the volume cannot be deleted yet." })
export class VolumeBackupWriter {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => ID)
  applicationId!: string;
}
