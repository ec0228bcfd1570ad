import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";

export enum WorkspaceRole {
  ADMIN = "ADMIN",
  MEMBER = "MEMBER",
}
registerEnumType(WorkspaceRole, { name: "Role", description: "A member's role in a workspace; only ADMIN changes storage." });

@ObjectType({ simpleResolvers: true })
export class Plan {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Boolean, { description: "A Dedicated Plan grants dedicated hardware, which storage volumes need." })
  dedicated!: boolean;

  @Field(() => Int, { description: "The most storage, in GiB, the workspace may provision in total." })
  storageCeilingGiB!: number;

  @Field(() => Float)
  pricePerGiBMonth!: number;

  @Field(() => String)
  currency!: string;
}

@ObjectType({ simpleResolvers: true })
export class Workspace {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  slug!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int, { description: "How many days of projected need the assistant sizes a proposed expansion for (default 90)." })
  forecastDays!: number;
}
