import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Lab } from "@hks/lab";

// The server as production runs it (built, its own process), so a test can kill it for real.
const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/main.js");

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything it printed (JSON log lines on stderr included), for assertions and failure messages. */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts dist/main.js against a shared PostgreSQL database and an external lab, as one of several instances would. */
export async function startServerProcess(options: {
  dataDir: string;
  databaseUrl: string;
  lab: Lab;
  env?: Record<string, string>;
}): Promise<ServerProcess> {
  const { lab } = options;
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      NODE_ENV: "test",
      PORT: "0",
      HKS_DATA_DIR: options.dataDir,
      DATABASE_URL: options.databaseUrl,
      PROXMOX_URL: lab.proxmox.url,
      PROXMOX_TOKEN_ID: lab.proxmox.tokenId,
      PROXMOX_TOKEN_SECRET: lab.proxmox.tokenSecret,
      HKS_KUBECONFIG_DIR: lab.dir!,
      HKS_SEED_LAB: "true",
      HKS_TOKEN_SECRET: "crash-test-secret-crash-test-secret-0000",
      HKS_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready in [\d.]+ s: (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return {
    child,
    url,
    output: () => output,
    kill: (signal = "SIGKILL") =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
  };
}
