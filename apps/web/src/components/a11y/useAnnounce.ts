import { announcer, type AnnounceOptions } from "./announcer";

export type Announce = (message: string, options?: AnnounceOptions) => void;

const announce: Announce = (message, options) => announcer.announce(message, options);

/** Says something to screen-reader users through the app's live regions (politely unless told otherwise). */
export function useAnnounce(): Announce {
  return announce;
}
