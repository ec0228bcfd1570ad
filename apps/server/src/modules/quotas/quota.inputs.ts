import { Field, Float, ID, InputType, Int } from "type-graphql";

@InputType()
export class StorageClassQuotaInput {
  @Field(() => String)
  storageClassName!: string;

  @Field(() => Float, { nullable: true })
  requestsStorageGiB?: number | null;

  @Field(() => Int, { nullable: true })
  maxPersistentVolumeClaims?: number | null;
}

@InputType({ description: "The namespace's storage limits; a null limit is removed, and no limits at all removes the quota." })
export class SetNamespaceQuotaInput {
  @Field(() => ID)
  workspaceId!: string;

  @Field(() => String)
  namespace!: string;

  @Field(() => Float, { nullable: true, description: "Total storage all claims of the namespace may request, in GiB (requests.storage)." })
  requestsStorageGiB?: number | null;

  @Field(() => Int, { nullable: true, description: "How many PersistentVolumeClaims the namespace may have." })
  maxPersistentVolumeClaims?: number | null;

  @Field(() => [StorageClassQuotaInput], { nullable: true })
  storageClassLimits?: StorageClassQuotaInput[] | null;
}
