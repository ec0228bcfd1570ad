import { Field, Float, Int, ObjectType } from "type-graphql";

@ObjectType({ simpleResolvers: true })
export class StorageClassQuota {
  @Field(() => String)
  storageClassName!: string;

  @Field(() => Float, { nullable: true })
  requestsStorageGiB!: number | null;

  @Field(() => Float)
  usedStorageGiB!: number;

  @Field(() => Int, { nullable: true })
  maxPersistentVolumeClaims!: number | null;

  @Field(() => Int)
  usedPersistentVolumeClaims!: number;
}

@ObjectType({
  simpleResolvers: true,
  description: "The HKS-managed ResourceQuota of a namespace, with its use as the vCluster reports it.",
})
export class NamespaceQuota {
  @Field(() => String)
  namespace!: string;

  @Field(() => Boolean, { description: "Whether a ResourceQuota managed by HKS exists in this namespace." })
  configured!: boolean;

  @Field(() => Float, { nullable: true })
  requestsStorageGiB!: number | null;

  @Field(() => Float)
  usedStorageGiB!: number;

  @Field(() => Int, { nullable: true })
  maxPersistentVolumeClaims!: number | null;

  @Field(() => Int)
  usedPersistentVolumeClaims!: number;

  @Field(() => [StorageClassQuota])
  storageClassLimits!: StorageClassQuota[];
}
