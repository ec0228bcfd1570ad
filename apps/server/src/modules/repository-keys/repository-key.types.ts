import { Field, ID, ObjectType } from "type-graphql";

@ObjectType({ simpleResolvers: true, description: "A Workspace Admin took the repository key out of HKS." })
export class RepositoryKeyExport {
  @Field(() => ID) id!: string;
  @Field(() => ID) userId!: string;
  @Field(() => String) userEmail!: string;
  @Field(() => Date) createdAt!: Date;
}
