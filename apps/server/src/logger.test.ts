import { expect, it } from "vitest";
import { loadEnv } from "./env.js";
import { createLogger } from "./logger.js";

const capture = (level?: Parameters<typeof createLogger>[0]) => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ ...level, write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
};

it("writes one JSON object per line with time, level, message and fields", () => {
  const { logger, lines } = capture();
  logger.info("volume provisioned", { volumeId: "v1" });
  expect(lines).toEqual([
    { time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), level: "info", message: "volume provisioned", volumeId: "v1" },
  ]);
});

it("drops lines below the configured level", () => {
  const { logger, lines } = capture({ level: "warn" });
  logger.debug("d");
  logger.info("i");
  logger.warn("w");
  logger.error("e");
  expect(lines.map((l) => l["level"])).toEqual(["warn", "error"]);
  const all = capture({ level: "debug" });
  all.logger.debug("d");
  expect(all.lines).toHaveLength(1);
  const none = capture({ silent: true });
  none.logger.error("e");
  expect(none.lines).toHaveLength(0);
});

it("takes LOG_LEVEL from the environment, info by default, and refuses an unknown level", () => {
  expect(loadEnv({}).LOG_LEVEL).toBe("info");
  expect(loadEnv({ LOG_LEVEL: "debug" }).LOG_LEVEL).toBe("debug");
  expect(() => loadEnv({ LOG_LEVEL: "verbose" })).toThrow(/LOG_LEVEL/);
});
