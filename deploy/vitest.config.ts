import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // One runtime test starts the server; the machine has two cores.
    fileParallelism: false,
  },
});
