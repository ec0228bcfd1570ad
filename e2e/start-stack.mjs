// Starts the built product for the e2e tests on a fresh data folder, so every run begins from the lab seed.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.E2E_DATA_DIR || mkdtempSync(path.join(os.tmpdir(), "hks-e2e-"));
const child = spawn(process.execPath, [path.join(here, "../apps/server/dist/main.js")], {
  // Backups and capacity play in seconds: runs read back every 500 ms, usage sampled every second.
  env: {
    ...process.env,
    HKS_DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    NODE_ENV: "production",
    HKS_RUN_POLL_MS: "500",
    HKS_MONITOR_INTERVAL_MS: "1000",
  },
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
