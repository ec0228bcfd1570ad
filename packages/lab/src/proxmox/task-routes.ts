import { node, optBool, optInt, optStr, optVmid, type Route } from "./route.js";
import type { Task } from "./tasks.js";

function taskStatus(t: Task) {
  return {
    upid: t.upid,
    node: t.node,
    pid: t.pid,
    pstart: t.pstart,
    starttime: t.starttime,
    type: t.type,
    id: t.id,
    user: t.user,
    status: t.status,
    ...(t.status === "stopped" ? { exitstatus: t.exitstatus } : {}),
  };
}

/** A node's tasks: list, status and log. */
export const taskRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/nodes/{node}/tasks",
    schema: { node, limit: optInt, start: optInt, typefilter: optStr, vmid: optVmid, source: optStr, errors: optBool },
    handle: ({ lab, p }) => {
      const n = lab.state.node(p.str("node"));
      const start = p.optInt("start") ?? 0;
      const limit = p.optInt("limit") ?? 50;
      const type = p.optStr("typefilter");
      return lab.tasks
        .list(n.name)
        .filter((t) => !type || t.type === type)
        .slice(start, start + limit)
        .map((t) => ({ ...taskStatus(t), ...(t.endtime ? { endtime: t.endtime, status: t.exitstatus } : {}) }));
    },
  },
  {
    method: "GET",
    pattern: "/nodes/{node}/tasks/{upid}/status",
    schema: { node, upid: { type: "string" } },
    handle: ({ lab, p }) => {
      lab.state.node(p.str("node"));
      return taskStatus(lab.tasks.get(p.str("upid")));
    },
  },
  {
    method: "GET",
    pattern: "/nodes/{node}/tasks/{upid}/log",
    schema: { node, upid: { type: "string" }, start: optInt, limit: optInt, download: optBool },
    handle: ({ lab, p }) => {
      lab.state.node(p.str("node"));
      const t = lab.tasks.get(p.str("upid"));
      const start = p.optInt("start") ?? 0;
      const limit = p.optInt("limit") ?? 50;
      const lines = t.log.length > 0 ? t.log : ["no content"];
      return lines.slice(start, start + limit).map((line, i) => ({ n: start + i + 1, t: line }));
    },
  },
];
