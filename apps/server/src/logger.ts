export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: Infinity };
const ignore = () => undefined;

/**
 * Structured JSON lines on stderr, one object per line, so a cluster's log pipeline can index them.
 * Lines below `level` cost nothing (the level's method is a no-op); `silent` is for tests that assert on outcomes.
 */
export function createLogger(options: { level?: LogLevel; silent?: boolean; write?: (line: string) => void } = {}): Logger {
  const threshold = RANK[options.silent ? "silent" : (options.level ?? "info")];
  const out = options.write ?? ((line: string) => void process.stderr.write(line));
  const at = (level: Exclude<LogLevel, "silent">) =>
    RANK[level] < threshold
      ? ignore
      : (message: string, fields: Record<string, unknown> = {}) =>
          out(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
