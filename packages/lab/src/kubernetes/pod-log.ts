import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiContext } from "./api-context.js";
import { renderLine, selectLines } from "./controllers/logs.js";
import { badRequest } from "./errors.js";
import { sendText } from "./http.js";

/** GET /api/v1/namespaces/{ns}/pods/{name}/log, as the kubelet serves it through the apiserver. */
export async function servePodLog(
  { store, streams, runner }: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  namespace: string,
  name: string,
  query: URLSearchParams,
): Promise<void> {
  const pod = store.read("v1", "Pod", namespace, name);
  const mains: string[] = (Array.isArray(pod.spec?.containers) ? pod.spec.containers : []).map((c: { name?: string }) => String(c.name));
  const inits: string[] = (Array.isArray(pod.spec?.initContainers) ? pod.spec.initContainers : []).map((c: { name?: string }) =>
    String(c.name),
  );
  let container = query.get("container") ?? "";
  if (!container) {
    if (mains.length !== 1)
      throw badRequest(
        `a container name must be specified for pod ${name}, choose one of: [${mains.join(" ")}]${inits.length ? ` or one of the init containers: [${inits.join(" ")}]` : ""}`,
      );
    container = mains[0] ?? "";
  }
  if (!mains.includes(container) && !inits.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  const previous = query.get("previous") === "true";
  const buffer = runner?.logsOf(pod, container, previous);
  const statuses: any[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const waiting = statuses.find((s) => s?.name === container)?.state?.waiting;
  if (!buffer) {
    if (previous) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
    if (pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed")
      throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${waiting?.reason ?? "ContainerCreating"}`);
    return sendText(res, 200, ""); // finished before this lab process started: the logs are gone
  }
  const num = (key: string) => (query.get(key) !== null && query.get(key) !== "" ? Number(query.get(key)) : undefined);
  const timestamps = query.get("timestamps") === "true";
  const lines = selectLines(
    buffer,
    { tailLines: num("tailLines"), sinceSeconds: num("sinceSeconds"), sinceTime: query.get("sinceTime") ?? undefined },
    store.clock(),
  );
  let limit = num("limitBytes") ?? Infinity;
  const follow = query.get("follow") === "true" && !buffer.done;
  res.writeHead(200, {
    "Content-Type": "text/plain",
    "Cache-Control": "no-cache, private",
    ...(follow ? { "Transfer-Encoding": "chunked" } : {}),
  });
  const write = (text: string): boolean => {
    if (limit <= 0) return false;
    const bytes = Buffer.from(text);
    const part = bytes.length > limit ? bytes.subarray(0, limit) : bytes;
    limit -= part.length;
    res.write(part);
    return limit > 0;
  };
  for (const line of lines) if (!write(renderLine(line, timestamps))) break;
  if (!follow || limit <= 0) {
    res.end();
    return;
  }
  streams.add(res);
  const stop = buffer.onLine(
    (line) => {
      if (!write(renderLine(line, timestamps))) end();
    },
    () => end(),
  );
  function end() {
    stop();
    streams.delete(res);
    res.end();
  }
  req.on("close", end);
}
