import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

/** A port nothing holds right now, asked of the OS (synchronously: the config cannot wait). */
function freePort(): number {
  const probe = `const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { process.stdout.write(String(s.address().port)); s.close(); });`;
  return Number(execFileSync(process.execPath, ["-e", probe], { encoding: "utf8" }));
}

// The runner evaluates this file, then again in every worker it starts with its own environment: the port is chosen
// once, in the runner, and the workers read it back from E2E_PORT. E2E_PORT set by hand still wins.
process.env["E2E_PORT"] ??= String(freePort());
const PORT = Number(process.env["E2E_PORT"]);
export const BASE_URL = `http://127.0.0.1:${PORT}`;
// The stack's data folder, chosen here like the port, so specs can reach the lab (its kubeconfigs) as an operator would.
process.env["E2E_DATA_DIR"] ??= mkdtempSync(path.join(os.tmpdir(), "hks-e2e-"));

export default defineConfig({
  testDir: "tests",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: BASE_URL,
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium; Playwright never downloads a browser here.
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
  },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/ },
    { name: "dashboard", dependencies: ["setup"], testMatch: /.*\.spec\.ts/ },
  ],
  webServer: {
    // The whole product on embedded defaults (PGlite + the lab) in a fresh data folder.
    command: `node start-stack.mjs`,
    url: `${BASE_URL}/readyz`,
    env: { PORT: String(PORT), E2E_DATA_DIR: process.env["E2E_DATA_DIR"] },
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
  },
});
