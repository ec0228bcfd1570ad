/** The web bench's browser side: Chromium, sign-in, and the render, scroll and live-update measurements. */
import postgres from "postgres";
import type { Page } from "playwright-core";
import { createPostgresPubSub } from "../../../apps/server/src/graphql/pubsub-postgres.js";
import { percentile } from "../../lib/stats.js";

const ADMIN = { email: "admin@acme.test", password: "hks-lab" };
export const SMOOTH_P95_MS = 50;

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Records which built assets (paths under dist) a page fetched. */
export function recordAssets(page: Page, base: string): Set<string> {
  const seen = new Set<string>();
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (url.origin !== base) return;
    if (response.request().resourceType() === "document") seen.add("/index.html");
    else if (url.pathname.startsWith("/assets/")) seen.add(url.pathname);
  });
  return seen;
}

export async function signIn(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/w\/[^/]+\/storage/, { timeout: 120_000 });
}

/**
 * tsx compiles this file with esbuild's keepNames, which wraps functions in a `__name` helper; the
 * functions handed to page.evaluate run in the page, where it must exist too.
 */
export const NAME_HELPER = "globalThis.__name ??= (fn) => fn;";

/** Long main-thread tasks, recorded from the first script on. */
export const LONG_TASKS_INIT = `
  ${NAME_HELPER}
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
    .observe({ type: "longtask", buffered: true });
`;

export interface RenderRun {
  /** From navigation start to the table showing its first rows with the full count. */
  shownMs: number;
  /** The Storage page's GraphQL requests until then (StoragePage and the table's first page), request to last byte, summed. */
  queryMs: number;
  /** Bytes received for GraphQL until the first rows, as sent (compressed if it was). */
  queryBytes: number;
  /** Every byte received from navigation to the first rows (document, assets not in the cache, GraphQL), as sent. */
  transferredBytes: number;
  domRows: number;
  /** The longest main-thread task from navigation until the rows have settled. */
  longestTaskMs: number;
}

export const TABLE_SELECTOR = 'table[aria-label="Storage volumes"]';

export async function measureRender(page: Page, base: string, expected: number): Promise<RenderRun> {
  // Bytes as they came over the wire, from Chromium's network log: a response served from the cache counts nothing.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const graphqlRequests = new Set<string>();
  let transferredBytes = 0;
  let queryBytes = 0;
  let counting = true;
  cdp.on("Network.requestWillBeSent", (e) => {
    if (e.request.url.endsWith("/graphql") && e.request.method === "POST") graphqlRequests.add(e.requestId);
  });
  cdp.on("Network.loadingFinished", (e) => {
    if (!counting) return;
    transferredBytes += e.encodedDataLength;
    if (graphqlRequests.has(e.requestId)) queryBytes += e.encodedDataLength;
  });
  let queryMs = 0;
  const onFinished = (request: import("playwright-core").Request) => {
    if (!counting || !request.url().endsWith("/graphql") || request.method() !== "POST") return;
    const op = (request.postDataJSON() as { operationName?: string } | null)?.operationName;
    if (op !== "StoragePage" && op !== "StorageVolumeWindow") return;
    const timing = request.timing();
    queryMs += timing.responseEnd - timing.requestStart;
  };
  page.on("requestfinished", onFinished);
  await page.goto(`${base}/`, { waitUntil: "commit" });
  const shown = await page.waitForFunction(
    (want) => {
      const count = document.querySelector('[aria-labelledby="volumes-title"] .table-count')?.textContent?.replace(/\D/g, "");
      const rows = document.querySelectorAll('[data-testid="volume-row"]').length;
      return count === String(want) && rows > 0 ? performance.now() : false;
    },
    expected,
    { polling: "raf", timeout: 180_000 },
  );
  const shownMs = (await shown.jsonValue()) as number;
  counting = false;
  // Let the first paint settle, then read what is on the page.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 200))));
  const { domRows, longestTaskMs } = await page.evaluate(() => ({
    domRows: document.querySelectorAll('[data-testid="volume-row"]').length,
    longestTaskMs: Math.max(0, ...((window as unknown as { __longTasks?: number[] }).__longTasks ?? [])),
  }));
  page.off("requestfinished", onFinished);
  await cdp.detach();
  return { shownMs, queryMs, queryBytes, transferredBytes, domRows, longestTaskMs };
}

/**
 * From a change of order or filter to the table showing the server's new rows: `act` runs in the page (a header
 * click, typing into the filter); done when the table is no longer busy and its first row is one `done` accepts.
 */
export async function measureReorder(
  page: Page,
  act: "sortBySize" | "filter",
  filterText = "",
): Promise<{ ms: number; firstRow: string; longestTaskMs: number }> {
  await page.evaluate(NAME_HELPER);
  return page.evaluate(
    async ({ selector, act, filterText }) => {
      const table = document.querySelector(selector)!;
      const firstRow = () => table.querySelector<HTMLTableRowElement>('[data-testid="volume-row"]');
      const before = firstRow()?.textContent ?? "";
      const w = window as unknown as { __longTasks?: number[] };
      const tasksBefore = w.__longTasks?.length ?? 0;
      const t0 = performance.now();
      if (act === "sortBySize") {
        const header = [...table.querySelectorAll("th")].find((th) => th.textContent?.startsWith("Size"))!;
        header.querySelector("button")!.click();
      } else {
        const input = document.querySelector<HTMLInputElement>('input[aria-label="Filter volumes"], input[placeholder^="Filter by name"]')!;
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
        setter.call(input, filterText);
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
      for (;;) {
        await new Promise((r) => requestAnimationFrame(r));
        const row = firstRow();
        const text = row?.textContent ?? "";
        const settled = table.getAttribute("aria-busy") !== "true" && row && text !== before;
        const matches = act === "filter" ? text.includes(filterText) : true;
        if (settled && matches) {
          const ms = performance.now() - t0;
          const longestTaskMs = Math.max(0, ...(w.__longTasks ?? []).slice(tasksBefore));
          return { ms, firstRow: row.cells[0]?.textContent?.trim() ?? "", longestTaskMs };
        }
        if (performance.now() - t0 > 60_000) return { ms: Number.NaN, firstRow: "", longestTaskMs: Number.NaN };
      }
    },
    { selector: TABLE_SELECTOR, act, filterText },
  );
}

export interface ScrollResult {
  /** Intervals between animation frames while scrolling (fewer than the steps if the time budget ran out). */
  frames: number[];
  scrolledPx: number;
  lastRowText: string;
  lastRowIndex: string | null;
}

/**
 * Scrolls the element that scrolls `selector` (the nearest scrollable ancestor, else the document)
 * in `steps` steps of `stepPx` (or to the bottom when stepPx is 0), one step per animation frame,
 * and returns the intervals between frames.
 */
export async function scrollFrames(page: Page, selector: string, steps: number, stepPx: number, budgetMs = 45_000): Promise<ScrollResult> {
  await page.evaluate(NAME_HELPER);
  return page.evaluate(
    async ({ selector, steps, stepPx, budgetMs }) => {
      const target = document.querySelector(selector);
      if (!target) throw new Error(`nothing matches ${selector}`);
      let scroller: Element | null = target.parentElement;
      while (
        scroller &&
        !(scroller.scrollHeight > scroller.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(scroller).overflowY))
      ) {
        scroller = scroller.parentElement;
      }
      const el = scroller ?? document.scrollingElement!;
      el.scrollTop = 0;
      const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
      await frame();
      // Read every step: the list's height firms up as rows are measured.
      const max = () => el.scrollHeight - el.clientHeight;
      const frames: number[] = [];
      let last = await frame();
      const began = last;
      for (let i = 1; i <= steps; i++) {
        el.scrollTop = stepPx > 0 ? Math.min(max(), i * stepPx) : Math.round((max() * i) / steps);
        const t = await frame();
        frames.push(t - last);
        last = t;
        // A page this janky has answered the question; stop rather than scroll for minutes.
        if (t - began > budgetMs) break;
      }
      if (stepPx === 0) el.scrollTop = max();
      await frame();
      await frame();
      const rows = target.querySelectorAll("tbody tr[data-row-id], tbody tr[data-testid]");
      const lastRow = rows[rows.length - 1];
      return {
        frames,
        scrolledPx: el.scrollTop,
        lastRowText: (lastRow?.querySelector("td")?.textContent ?? "").trim(),
        lastRowIndex: lastRow?.getAttribute("aria-rowindex") ?? null,
      };
    },
    { selector, steps, stepPx, budgetMs },
  );
}

/** A plain, static 10,000-row table with as many columns: the browser's own scrolling, no script. */
export function staticTablePage(rows: number): string {
  const cells = (i: number) =>
    [
      `bench-vol-${i}`,
      `${(i % 10) * 50 + 5} GiB`,
      "Available",
      `${i % 100}%`,
      "in 12 days",
      `hks-bench-vol-${i}`,
      `hks-acme-bench-vol-${i}`,
      `pve${(i % 2) + 1} / local-lvm`,
      `€ ${(i % 97) + 0.4}`,
      "Usage Expand Delete",
    ]
      .map((c) => `<td>${c}</td>`)
      .join("");
  const body = Array.from({ length: rows }, (_, i) => `<tr data-testid="plain-row">${cells(i + 1)}</tr>`).join("");
  return `<!doctype html><html><head><style>body{font:14px system-ui;margin:0}td{padding:12px 8px;border-bottom:1px solid #ddd;white-space:nowrap}</style></head>
    <body><table id="plain"><thead><tr>${Array.from({ length: 10 }, (_, i) => `<th>c${i}</th>`).join("")}</tr></thead><tbody>${body}</tbody></table></body></html>`;
}

/**
 * Live updates: volumes in view change status, announced the way the server announces it to every
 * instance (PostgreSQL NOTIFY on the pub/sub channel, after the rows are updated). Measured in the
 * page: from the first event to every changed row showing its new status, and the longest frame
 * meanwhile (the main-thread work the events cost with 10,000 volumes on the page). `burst` events
 * are sent back to back each round.
 */
export async function measureLiveUpdates(
  page: Page,
  databaseUrl: string,
  workspaceId: string,
  rounds: number,
  burst: number,
): Promise<{ latencies: number[]; frames: number[] }> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
  // Events go out as a server instance sends them: through the product's PostgreSQL pub/sub.
  const shared = await createPostgresPubSub(databaseUrl, { instanceId: "bench-web" });
  const latencies: number[] = [];
  const frames: number[] = [];
  try {
    await page.evaluate(NAME_HELPER);
    const names = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLTableRowElement>('[data-testid="volume-row"]')].map((r) => r.cells[0]!.textContent!.trim()),
    );
    if (names.length < burst) throw new Error(`only ${names.length} rows on screen for a burst of ${burst}`);
    for (let round = 0; round < rounds; round++) {
      const chosen = burst === 1 ? [names[round % names.length]!] : names.slice(0, burst);
      for (const next of ["EXPANDING", "AVAILABLE"] as const) {
        const records = await sql<Array<Record<string, unknown>>>`
          update storage_volumes set status = ${next}, updated_at = now()
          where workspace_id = ${workspaceId} and name in ${sql(chosen)}
          returning id, workspace_id as "workspaceId", name, size_gib as "sizeGiB", status, failure_reason as "failureReason",
            node, storage, disk_name as "diskName", proxmox_volume_id as "proxmoxVolumeId", storage_class_name as "storageClassName",
            persistent_volume_name as "persistentVolumeName", created_at as "createdAt", updated_at as "updatedAt"`;
        const label = next === "EXPANDING" ? "Expanding" : "Available";
        await page.evaluate(
          ({ names, label }) => {
            const w = window as unknown as { __live?: Promise<{ seenAt: number; maxFrame: number }> };
            w.__live = new Promise((resolve) => {
              let last = performance.now();
              let maxFrame = 0;
              let seenAt = 0;
              let after = 0;
              const tick = (t: number) => {
                maxFrame = Math.max(maxFrame, t - last);
                last = t;
                if (!seenAt) {
                  const shown = [...document.querySelectorAll<HTMLTableRowElement>('[data-testid="volume-row"]')].filter(
                    (r) => names.includes(r.cells[0]?.textContent?.trim() ?? "") && r.cells[2]?.textContent?.includes(label),
                  );
                  if (shown.length === names.length) seenAt = Date.now();
                } else if (++after >= 2) {
                  // Two frames past the update: the work the events cause may straddle it.
                  return resolve({ seenAt, maxFrame });
                }
                requestAnimationFrame(tick);
              };
              requestAnimationFrame(tick);
            });
          },
          { names: chosen, label },
        );
        const sentAt = Date.now();
        for (const record of records) shared.pubsub.publish("STORAGE_VOLUME_CHANGED", workspaceId, record as never);
        const seen = await page.evaluate(() => (window as unknown as { __live: Promise<{ seenAt: number; maxFrame: number }> }).__live);
        if (next === "EXPANDING") {
          latencies.push(seen.seenAt - sentAt);
          frames.push(seen.maxFrame);
        }
      }
    }
  } finally {
    await shared.close();
    await sql.end({ timeout: 5 });
  }
  return { latencies, frames };
}

export function frameFigures(frames: number[]): { p95: number; max: number; slow: number } {
  return { p95: percentile(frames, 95), max: Math.max(...frames), slow: frames.filter((f) => f > SMOOTH_P95_MS).length };
}
