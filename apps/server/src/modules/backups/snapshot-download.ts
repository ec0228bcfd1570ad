import type { IncomingMessage, ServerResponse } from "node:http";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { snapshotDownloads } from "../../db/schema/snapshot-entries.js";
import { DomainError, ErrorCode } from "../../kernel/errors.js";
import type { Logger } from "../../logger.js";
import { hashToken, type SnapshotBrowseService } from "./snapshot-browse.js";
import { failureMessage } from "./snapshot-index.js";
import { snapshotTaskPod, startSnapshotTask } from "./snapshot-task.js";
import type { TranslationOptions } from "./translation.js";

/**
 * GET /api/snapshot-downloads/:token: one file of a snapshot, streamed from a pod running the functions' dump mode.
 * The pod writes base64 lines into its log; each is decoded and written as it arrives, so neither side holds the
 * file. The client going away deletes the pod. A line lost on the way aborts the response (the browser sees a
 * failed download, never a damaged file: Content-Length is the file's size).
 */
export class SnapshotDownloadRoute {
  constructor(private readonly deps: { db: Database; logger: Logger; translation: TranslationOptions; browse: SnapshotBrowseService }) {}

  async serve(token: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let ticket: typeof snapshotDownloads.$inferSelect | undefined;
    try {
      // Single use: the first request takes the ticket, any other finds it used.
      [ticket] = await this.deps.db
        .update(snapshotDownloads)
        .set({ usedAt: new Date() })
        .where(
          and(
            eq(snapshotDownloads.tokenHash, hashToken(token)),
            isNull(snapshotDownloads.usedAt),
            gt(snapshotDownloads.expiresAt, new Date()),
          ),
        )
        .returning();
      if (!ticket)
        return refuse(
          res,
          404,
          ErrorCode.NOT_FOUND,
          "This download link was already used or has expired (links work once, for a minute): start the download again from the dashboard.",
        );
      const target = await this.deps.browse.downloadTarget(ticket.workspaceId, ticket.runId);
      const pod = snapshotTaskPod(target.spec, this.deps.translation, {
        kind: "download",
        snapshot: target.snapshot,
        path: ticket.path,
        activeDeadlineSeconds: 6 * 3600,
      });
      const task = await startSnapshotTask(target.client, pod);
      let finished = false;
      res.on("close", () => {
        if (!finished) this.deps.logger.info("snapshot download abandoned by the client", { runId: ticket!.runId, path: ticket!.path });
        void task.stop();
      });
      await this.stream(task.lines, ticket, res, target.snapshot);
      finished = true;
      res.end();
    } catch (error) {
      if (res.headersSent) {
        this.deps.logger.warn("snapshot download broke off", { path: ticket?.path, error: String(error) });
        res.destroy();
        return;
      }
      if (error instanceof DomainError) return refuse(res, error.code === ErrorCode.NOT_FOUND ? 404 : 409, error.code, error.message);
      const message = failureMessage(error, "");
      this.deps.logger.warn("snapshot download failed", { path: ticket?.path, error: String(error) });
      return refuse(res, 502, ErrorCode.PLATFORM_UNAVAILABLE, message);
    }
  }

  private async stream(
    lines: AsyncGenerator<string>,
    ticket: typeof snapshotDownloads.$inferSelect,
    res: ServerResponse,
    snapshot: string,
  ) {
    let sent = 0;
    for await (const line of lines) {
      if (!res.headersSent) {
        const name = ticket.path.slice(ticket.path.lastIndexOf("/") + 1);
        res.writeHead(200, {
          "Content-Type": "application/octet-stream",
          "Content-Length": String(ticket.size),
          "Content-Disposition": contentDisposition(name),
          "Cache-Control": "no-store",
          "X-Content-Type-Options": "nosniff",
          "X-HKS-Snapshot": snapshot.slice(0, 8),
        });
      }
      const bytes = Buffer.from(line, "base64");
      sent += bytes.length;
      // Waits while the client reads slower than the pod writes: the log stream then pauses too.
      if (!res.write(bytes))
        await new Promise((resolve) => {
          res.once("drain", resolve);
          res.once("close", resolve);
        });
      if (res.destroyed) return;
    }
    if (!res.headersSent) {
      res.writeHead(200, {
        "Content-Type": "application/octet-stream",
        "Content-Length": "0",
        "Content-Disposition": contentDisposition(ticket.path.slice(ticket.path.lastIndexOf("/") + 1)),
        "Cache-Control": "no-store",
      });
    }
    if (sent !== ticket.size) throw new Error(`the pod wrote ${sent} bytes of a ${ticket.size}-byte file`);
  }
}

/** RFC 6266: an ASCII fallback and the exact name in UTF-8. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function refuse(res: ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
