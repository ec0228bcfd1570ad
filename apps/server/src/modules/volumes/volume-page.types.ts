import { Field, InputType, ObjectType, registerEnumType } from "type-graphql";
import { StorageVolume, StorageVolumeStatus } from "./volume.types.js";

export enum StorageVolumeSortKey {
  NAME = "NAME",
  SIZE = "SIZE",
  USAGE = "USAGE",
  STATUS = "STATUS",
  CREATED = "CREATED",
  NODE = "NODE",
  ESTIMATED_FULL = "ESTIMATED_FULL",
}
registerEnumType(StorageVolumeSortKey, {
  name: "StorageVolumeSortKey",
  valuesConfig: {
    STATUS: { description: "In lifecycle order: PROVISIONING, AVAILABLE, EXPANDING, DELETING, DELETED, FAILED." },
    USAGE: { description: "Used share of the capacity; volumes without a usage reading come first ascending." },
    ESTIMATED_FULL: { description: "When the forecast says the volume fills; volumes without a forecast come last ascending." },
  },
});

export enum SortDirection {
  ASC = "ASC",
  DESC = "DESC",
}
registerEnumType(SortDirection, { name: "SortDirection" });

@InputType({ description: "An order of the volume list; rows with equal keys keep their order by id." })
export class StorageVolumeSort {
  @Field(() => StorageVolumeSortKey)
  key!: StorageVolumeSortKey;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction!: SortDirection;
}

@InputType()
export class StorageVolumeFilter {
  @Field(() => String, { nullable: true, description: "Part of the name, StorageClass, PV, node, storage or status; any case." })
  search?: string | null;

  @Field(() => [StorageVolumeStatus], { nullable: true })
  statuses?: StorageVolumeStatus[] | null;

  @Field(() => String, { nullable: true, description: "Only the volumes on this Proxmox node." })
  node?: string | null;

  @Field(() => Boolean, { defaultValue: false })
  includeDeleted!: boolean;
}

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "Pass as `after` for the next page." })
  endCursor!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class StorageVolumeEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => StorageVolume)
  node!: StorageVolume;
}

@ObjectType({
  simpleResolvers: true,
  description: "A page of the workspace's volumes in one order, with the total and the cursors of every page.",
})
export class StorageVolumeConnection {
  @Field(() => [StorageVolumeEdge])
  edges!: StorageVolumeEdge[];

  @Field(() => [StorageVolume], { description: "The edges' volumes, for callers that need no cursor per row." })
  nodes!: StorageVolume[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
