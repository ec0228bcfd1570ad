/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { playwright } from "@vitest/browser-playwright";
import { graphqlDocuments } from "./build/graphql-documents.ts";

const apiTarget = "http://localhost:4000";

export default defineConfig({
  plugins: [graphqlDocuments({ gqlDir: "src/gql" }), react()],
  server: {
    port: 5173,
    proxy: {
      "/graphql": { target: apiTarget, changeOrigin: true, ws: true },
    },
  },
  preview: {
    port: 4173,
    proxy: {
      "/graphql": { target: apiTarget, changeOrigin: true, ws: true },
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Maps for debugging and bundle analysis, without a sourceMappingURL in the shipped files.
    sourcemap: "hidden",
    rolldownOptions: {
      output: {
        // Libraries in chunks of their own, cached across releases of the app. Only libraries that
        // the first page needs share a group with it; the table kit stays with the sections using it.
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 3 },
            { name: "router", test: /node_modules[\\/](react-router|cookie|set-cookie-parser)[\\/]/, priority: 2 },
            {
              name: "apollo",
              test: /node_modules[\\/](@apollo|graphql|graphql-ws|rxjs|optimism|@wry|tslib|zen-observable|ts-invariant)[\\/]/,
              priority: 1,
            },
            { name: "table", test: /node_modules[\\/]@tanstack[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["src/**/*.test.ts", "build/**/*.test.ts"], environment: "node" },
      },
      {
        // Components whose behaviour depends on layout and scrolling run in Debian's Chromium.
        extends: true,
        test: {
          name: "browser",
          include: ["src/**/*.browser.test.tsx"],
          // Rendering 10,000 rows on a loaded 2-core machine can take seconds; a poll waits for what a user would.
          expect: { poll: { timeout: 10_000 } },
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
                args: [
                  "--no-sandbox",
                  "--disable-gpu",
                  "--disable-quic",
                  "--no-first-run",
                  "--disable-background-networking",
                  "--disable-component-update",
                  "--disable-sync",
                ],
              },
            }),
            instances: [{ browser: "chromium", viewport: { width: 1280, height: 720 } }],
          },
        },
      },
    ],
  },
});
