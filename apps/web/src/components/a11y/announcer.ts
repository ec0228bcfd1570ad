export type Politeness = "polite" | "assertive";

export interface AnnounceOptions {
  /** Failures interrupt ("assertive"); everything else waits its turn ("polite", the default). */
  politeness?: Politeness;
  /** Messages of one kind (e.g. "volume-status"); a burst of them is said as one summary. */
  group?: string;
  /** The summary of a burst of `count` messages of the group, e.g. "3 volumes changed status". */
  summary?: (count: number) => string;
  /** What the message is about (e.g. a volume's id): a newer message about it replaces one not yet said. */
  key?: string;
}

export type AnnouncedText = Readonly<Record<Politeness, string>>;

interface Pending {
  text: string;
  group: string | undefined;
  summary: ((count: number) => string) | undefined;
  key?: string | undefined;
}

/** How long messages are collected before they are said: a burst becomes one announcement, not a flood. */
export const COLLECT_MS: Readonly<Record<Politeness, number>> = { polite: 1000, assertive: 200 };
/** At most this many separate sentences per announcement; the rest are counted. */
const MAX_PARTS = 3;

/** Words for what was collected: one summary per group that had several messages, each other message as is. */
export function composeAnnouncement(messages: readonly Pending[]): string {
  const parts: string[] = [];
  const seenGroups = new Set<string>();
  for (const m of messages) {
    if (m.group === undefined) {
      if (!parts.includes(m.text)) parts.push(m.text);
      continue;
    }
    if (seenGroups.has(m.group)) continue;
    seenGroups.add(m.group);
    const ofGroup = messages.filter((x) => x.group === m.group);
    const distinct = Array.from(new Set(ofGroup.map((x) => x.text)));
    if (distinct.length === 1) parts.push(distinct[0]!);
    else if (m.summary) parts.push(m.summary(distinct.length));
    else parts.push(...distinct);
  }
  if (parts.length <= MAX_PARTS) return parts.join(" ");
  const rest = parts.length - (MAX_PARTS - 1);
  return [...parts.slice(0, MAX_PARTS - 1), `And ${rest} more updates.`].join(" ");
}

/**
 * The text of the app's two live regions. Messages are collected for a moment and said together;
 * the same words twice in a row still change the region (a trailing no-break space), so they are said again.
 */
export function createAnnouncer(schedule: (fn: () => void, ms: number) => unknown = setTimeout) {
  let text: AnnouncedText = { polite: "", assertive: "" };
  const pending: Record<Politeness, Pending[]> = { polite: [], assertive: [] };
  const scheduled: Record<Politeness, boolean> = { polite: false, assertive: false };
  const listeners = new Set<() => void>();

  function flush(politeness: Politeness) {
    scheduled[politeness] = false;
    const said = composeAnnouncement(pending[politeness]);
    pending[politeness] = [];
    if (!said) return;
    const next = text[politeness] === said ? `${said}\u00a0` : said;
    text = { ...text, [politeness]: next };
    for (const l of listeners) l();
  }

  return {
    announce(message: string, options: AnnounceOptions = {}) {
      const politeness = options.politeness ?? "polite";
      if (!message.trim()) return;
      const queue = pending[politeness];
      const stale = options.key === undefined ? -1 : queue.findIndex((m) => m.key === options.key);
      if (stale >= 0) queue.splice(stale, 1);
      queue.push({ text: message, group: options.group, summary: options.summary, key: options.key });
      if (!scheduled[politeness]) {
        scheduled[politeness] = true;
        schedule(() => flush(politeness), COLLECT_MS[politeness]);
      }
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    text: () => text,
  };
}

export type Announcer = ReturnType<typeof createAnnouncer>;

/** The app's one announcer, read by <LiveRegions /> at the root. */
export const announcer: Announcer = createAnnouncer();
