import { createPubSub } from "@graphql-yoga/subscription";
import type { AppPubSub, Topics } from "../modules/topics.js";

/** In-process pub/sub; several instances need the PostgreSQL LISTEN/NOTIFY implementation behind the same interface. */
export const createInProcessPubSub = (): AppPubSub => createPubSub<Topics>();
