import { Field, Float, ObjectType } from "type-graphql";

@ObjectType({
  simpleResolvers: true,
  description: "What the product runs on, when a user should know it to read its figures right.",
})
export class Platform {
  @Field(() => Boolean, { description: "True on the lab, the Proxmox and Kubernetes stand-in on one machine." }) lab!: boolean;
  @Field(() => Float, {
    nullable: true,
    description: "On the lab: real bytes on this machine per GiB shown (every size the API returns is in lab units).",
  })
  bytesPerGiB!: number | null;
  @Field(() => String, { nullable: true, description: "A sentence to show once, saying what sizes mean here; null off the lab." })
  note!: string | null;
}
