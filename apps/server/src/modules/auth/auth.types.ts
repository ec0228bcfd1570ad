import { Field, ID, ObjectType } from "type-graphql";
import { Workspace, WorkspaceRole } from "../workspaces/workspace.types.js";

@ObjectType({ simpleResolvers: true, description: "A membership of the viewer in a workspace." })
export class Membership {
  @Field(() => WorkspaceRole)
  role!: WorkspaceRole;

  @Field(() => Workspace)
  workspace!: Workspace;
}

@ObjectType({ simpleResolvers: true })
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType({ simpleResolvers: true })
export class AuthPayload {
  @Field(() => String, { description: "Send as `Authorization: Bearer <token>` (graphql-ws: connectionParams.authorization)." })
  token!: string;

  @Field(() => User)
  user!: User;
}
