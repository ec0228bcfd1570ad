/**
 * The product's server for the fan-out bench, in a process of its own: the whole stack on real parts
 * (a throwaway PostgreSQL database, the lab), one real volume, and events published on the server's
 * bus exactly as the volume service publishes a change. Dropped and stopped on `stop`.
 */
import "reflect-metadata";
import { execute, parse } from "graphql";
import { authenticate, contextFor } from "../../../apps/server/src/graphql/context-factory.js";
import { buildAppSchema } from "../../../apps/server/src/graphql/schema.js";
import type { StorageVolumeRecord } from "../../../apps/server/src/modules/volumes/volume.repository.js";
import { VolumeRepository } from "../../../apps/server/src/modules/volumes/volume.repository.js";
import { provisionVolume, startStack } from "../../../apps/server/src/test/harness.js";
import { serve, settledMemory } from "./ipc.js";
import { BASE_SIZE, SUBSCRIPTION } from "./shape.js";

const stack = await startStack();
// Nothing else runs on this server during the bench: the run tracker would poll the database every 250 ms.
await stack.services.runTracker.stop();
const [admin, member] = await Promise.all([stack.login("admin@acme.test"), stack.login("dev@acme.test")]);
const workspaceId = await stack.workspaceId("acme");
const provisioned = await provisionVolume(admin, workspaceId, "fanout-1", BASE_SIZE);
const volume = (await new VolumeRepository(stack.database.db, workspaceId).get(provisioned.id))!;

/** Event `seq` as an expansion would publish it: EXPANDING, then AVAILABLE at the new size. */
const event = (seq: number): StorageVolumeRecord => ({
  ...volume,
  status: seq % 2 === 1 ? "EXPANDING" : "AVAILABLE",
  sizeGiB: BASE_SIZE + seq,
  updatedAt: new Date(volume.updatedAt.getTime() + seq * 1_000),
});

/** The `next` message a subscriber receives for event `seq`, serialised: the raw broadcast sends these bytes. */
async function nextMessage(seq: number): Promise<string> {
  const schema = (nextMessage.schema ??= await buildAppSchema({ pubsub: stack.pubsub }));
  const viewer = await authenticate(stack.services, `Bearer ${admin.token}`);
  const result = await execute({
    schema,
    document: parse(SUBSCRIPTION),
    rootValue: event(seq),
    contextValue: contextFor(stack.services, viewer),
    variableValues: { workspaceId },
  });
  if (result.errors) throw new Error(`the subscription does not execute: ${JSON.stringify(result.errors)}`);
  return `{"id":"6a1f4a7e-2c2b-4a47-9a53-3f1c0f7f5d2e","type":"next","payload":${JSON.stringify(result)}}`;
}
nextMessage.schema = undefined as Awaited<ReturnType<typeof buildAppSchema>> | undefined;

serve({
  info: () => ({
    url: stack.app.url.replace(/^http/, "ws").replace("localhost", "127.0.0.1") + "/graphql",
    tokens: [admin.token, member.token],
    workspaceId,
    query: SUBSCRIPTION,
  }),
  messages: async ({ seqs }) => ({ texts: await Promise.all((seqs as number[]).map(nextMessage)) }),
  memory: () => settledMemory(),
  publish: ({ seq }) => {
    const t0 = process.hrtime.bigint();
    stack.pubsub.publish("STORAGE_VOLUME_CHANGED", workspaceId, event(seq as number));
    return { t0: Number(t0) };
  },
  stats: () => ({ ...(stack.app as { graphqlWs?: object }).graphqlWs }),
  stop: async () => {
    await stack.stop();
    setImmediate(() => process.exit(0));
    return {};
  },
});
process.send!({ ready: true });
