import { EventEmitter } from "node:events";

export interface LogLine {
  /** RFC 3339 with nanoseconds, like the kubelet's log timestamps. */
  ts: string;
  text: string;
}

export const LOG_LIMIT_BYTES = 1024 * 1024;

function nanoTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000000Z");
}

/** One container instance's stdout+stderr, line by line, bounded to the last `limit` bytes. */
export class LogBuffer {
  lines: LogLine[] = [];
  done = false;
  private bytes = 0;
  private partial = new Map<string, string>();
  private readonly events = new EventEmitter();

  constructor(
    private readonly clock: () => Date = () => new Date(),
    private readonly limit = LOG_LIMIT_BYTES,
  ) {
    this.events.setMaxListeners(0);
  }

  append(stream: string, chunk: Buffer | string): void {
    const text = (this.partial.get(stream) ?? "") + chunk.toString();
    const parts = text.split("\n");
    this.partial.set(stream, parts.pop() ?? "");
    for (const part of parts) this.push(part);
  }

  /** The last `n` lines as text (for FallbackToLogsOnError). */
  tail(n: number): string {
    return this.lines
      .slice(-n)
      .map((l) => `${l.text}\n`)
      .join("");
  }

  finish(): void {
    for (const rest of this.partial.values()) if (rest) this.push(rest);
    this.partial.clear();
    this.done = true;
    this.events.emit("done");
  }

  onLine(listener: (line: LogLine) => void, onDone: () => void): () => void {
    this.events.on("line", listener);
    this.events.on("done", onDone);
    return () => {
      this.events.off("line", listener);
      this.events.off("done", onDone);
    };
  }

  private push(text: string): void {
    const line = { ts: nanoTimestamp(this.clock()), text };
    this.lines.push(line);
    this.bytes += text.length + 1;
    while (this.bytes > this.limit && this.lines.length > 1) this.bytes -= (this.lines.shift()?.text.length ?? 0) + 1;
    this.events.emit("line", line);
  }
}

export interface LogQuery {
  tailLines?: number;
  timestamps?: boolean;
  sinceSeconds?: number;
  sinceTime?: string;
  limitBytes?: number;
}

export function renderLine(line: LogLine, timestamps: boolean | undefined): string {
  return `${timestamps ? `${line.ts} ` : ""}${line.text}\n`;
}

/** The lines a GET .../log returns (before following). */
export function selectLines(buffer: LogBuffer, query: LogQuery, now: Date): LogLine[] {
  let lines = buffer.lines;
  const since =
    query.sinceSeconds !== undefined
      ? now.getTime() - query.sinceSeconds * 1000
      : query.sinceTime
        ? Date.parse(query.sinceTime)
        : undefined;
  if (since !== undefined && !Number.isNaN(since)) lines = lines.filter((l) => Date.parse(l.ts) >= since);
  if (query.tailLines !== undefined && query.tailLines >= 0) lines = query.tailLines === 0 ? [] : lines.slice(-query.tailLines);
  return lines;
}
