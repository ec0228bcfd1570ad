import type { createPubSub } from "@graphql-yoga/subscription";

/** Topic name -> [key, payload]; keys are workspace or application ids, so a subscriber only gets its own events. */
export type TopicMap = { [topic: string]: [key: string, payload: unknown] };

/** Publish/subscribe by topic; an in-process and a PostgreSQL implementation stand behind it. */
export type PubSub<T extends TopicMap> = ReturnType<typeof createPubSub<T>>;
