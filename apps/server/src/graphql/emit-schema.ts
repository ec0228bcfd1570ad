import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildAppSchema } from "./schema.js";
import { createInProcessPubSub } from "./pubsub.js";

// Emits schema/schema.graphql, the committed contract the web app's types are generated from.
const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../schema/schema.graphql");
await buildAppSchema({ pubsub: createInProcessPubSub(), emitSchemaFile: target });
console.log(`schema written to ${path.relative(process.cwd(), target)}`);
