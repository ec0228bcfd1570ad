import { spawn, type ChildProcess } from "node:child_process";
import { chown, mkdir, open, writeFile } from "node:fs/promises";
import { constants as osConstants } from "node:os";
import type { LogBuffer } from "./logs.js";
import { resolveExecutable, type PreparedContainer } from "./pod-containers.js";
import { sandboxArgv, writeEtc } from "./sandbox.js";

const livePids = new Set<number>();
let exitHook = false;

export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Whatever happens to the lab's process, its containers do not outlive it. */
function installExitHook(): void {
  if (exitHook) return;
  exitHook = true;
  process.on("exit", () => {
    for (const pid of livePids) killGroup(pid, "SIGKILL");
  });
}

/**
 * Starts a container's command in its sandbox, in a process group of its own; resolves with the child, or with the
 * runtime's start error (as containerd words it) when the command cannot run.
 */
export async function startContainerProcess(
  spec: PreparedContainer,
  hostname: string,
  etcDir: string,
): Promise<{ child: ChildProcess } | { error: string }> {
  installExitHook();
  const [file, ...rest] = spec.argv ?? [];
  if (!file) return { error: "no command" };
  await writeFile(spec.terminationFile, "");
  if (process.getuid?.() === 0) await chown(spec.terminationFile, spec.uid, spec.gid);
  await mkdir(etcDir, { recursive: true });
  if (!(await resolveExecutable(file, spec.cwd, spec.env, spec.mounts)))
    return { error: runtimeError(`exec: "${file}": executable file not found in $PATH`) };
  let argv: string[];
  try {
    await writeEtc({ uid: spec.uid, gid: spec.gid, etcDir });
    argv = sandboxArgv({
      argv: ["/usr/bin/env", "--default-signal=TERM,INT,HUP", "--", file, ...rest],
      mounts: spec.mounts,
      cwd: spec.cwd,
      uid: spec.uid,
      gid: spec.gid,
      supplementaryGroups: spec.groups,
      hostname,
      etcDir,
    });
  } catch (error) {
    return { error: (error as Error).message };
  }
  // bwrap itself ignores SIGTERM so that stopping a container signals its command and waits for it, as a runtime
  // does; the command gets the default handling back (above) before it starts.
  const child = spawn("/usr/bin/env", ["--ignore-signal=TERM,INT,HUP", "--", ...argv], {
    cwd: "/",
    env: spec.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once("spawn", () => resolve(undefined));
    child.once("error", (error) => resolve(error));
  });
  if (spawned) return { error: runtimeError(spawned.message) };
  if (child.pid) livePids.add(child.pid);
  child.once("exit", () => {
    if (child.pid) livePids.delete(child.pid);
  });
  return { child };
}

function runtimeError(why: string): string {
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${why}: unknown`;
}

async function readLimited(file: string, limit: number): Promise<string> {
  try {
    const handle = await open(file, "r");
    try {
      const buf = Buffer.alloc(limit);
      const { bytesRead } = await handle.read(buf, 0, limit, 0);
      return buf.subarray(0, bytesRead).toString("utf8");
    } finally {
      await handle.close();
    }
  } catch {
    return "";
  }
}

const MESSAGE_LIMIT = 4096;
const FALLBACK_LINES = 80;
const FALLBACK_BYTES = 2048;

/** Collects the container's output into `log`; resolves when it exited and whatever it left running is gone too. */
export async function waitForExit(child: ChildProcess, log: LogBuffer): Promise<{ exitCode: number; signal?: number }> {
  child.stdout?.on("data", (chunk: Buffer) => log.append("stdout", chunk));
  child.stderr?.on("data", (chunk: Buffer) => log.append("stderr", chunk));
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  // Like a container whose init process ended: whatever it left running goes too.
  killGroup(child.pid, "SIGKILL");
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1000))]);
  log.finish();
  const signo = signal ? (osConstants.signals[signal] ?? 9) : 0;
  return { exitCode: code ?? 128 + signo, ...(signal ? { signal: signo } : {}) };
}

/** The terminated state's message: the termination-message file, or the log's tail when the policy says so. */
export async function terminationMessage(spec: PreparedContainer, exitCode: number, log: LogBuffer): Promise<string> {
  let message = await readLimited(spec.terminationFile, MESSAGE_LIMIT);
  if (!message && exitCode !== 0 && spec.fallbackToLogs) {
    message = log.tail(FALLBACK_LINES);
    if (Buffer.byteLength(message) > FALLBACK_BYTES) message = Buffer.from(message).subarray(-FALLBACK_BYTES).toString();
  }
  return message;
}
