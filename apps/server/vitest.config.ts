import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One copy of graphql for our sources, type-graphql, graphql-scalars and Apollo: Node loads the CommonJS
    // build for dependencies, so the transformed sources must too, or graphql-js refuses types "from another realm".
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Test files share one PostgreSQL server and the machine's two cores.
    fileParallelism: false,
  },
});
