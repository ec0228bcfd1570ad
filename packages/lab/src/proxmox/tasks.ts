import { fail, paramError } from "./errors.js";

export interface Task {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
  status: "running" | "stopped";
  exitstatus?: string;
  endtime?: number;
  log: string[];
}

const hex8 = (n: number): string => n.toString(16).toUpperCase().padStart(8, "0");

export function parseUpid(upid: string): { node: string } | undefined {
  const m =
    /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-F]{8}):([0-9A-F]{8,9}):([0-9A-F]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/.exec(upid);
  return m ? { node: m[1] ?? "" } : undefined;
}

/**
 * Worker tasks like PVE's fork_worker: the API answers with a UPID at once and the work (and its
 * failure) happens later, so clients are forced to poll the task status as they must against a real PVE.
 */
export class TaskManager {
  private readonly tasks = new Map<string, Task>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextPid = 0x1000 + Math.floor(Math.random() * 0x10000);
  private readonly pstartBase = Math.floor(Math.random() * 0x100000) + 0x10000;

  constructor(private readonly delayMs: number) {}

  start(node: string, type: string, id: string, user: string, work: (log: (line: string) => void) => void): string {
    const pid = this.nextPid++;
    const starttime = Math.floor(Date.now() / 1000);
    const pstart = this.pstartBase + pid;
    const upid = `UPID:${node}:${hex8(pid)}:${hex8(pstart)}:${hex8(starttime)}:${type}:${id}:${user}:`;
    const task: Task = { upid, node, pid, pstart, starttime, type, id, user, status: "running", log: [] };
    this.tasks.set(upid, task);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        work((line) => task.log.push(line));
        task.exitstatus = "OK";
        task.log.push("TASK OK");
      } catch (err) {
        const message = (err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "";
        task.exitstatus = message;
        task.log.push(`TASK ERROR: ${message}`);
      }
      task.status = "stopped";
      task.endtime = Math.floor(Date.now() / 1000);
    }, this.delayMs);
    this.timers.add(timer);
    return upid;
  }

  get(upid: string): Task {
    if (!parseUpid(upid)) throw paramError({ upid: "unable to parse worker upid" });
    const task = this.tasks.get(upid);
    if (!task) throw fail("no such task");
    return task;
  }

  list(node: string): Task[] {
    return [...this.tasks.values()].filter((t) => t.node === node).reverse();
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
