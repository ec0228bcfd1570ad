/**
 * The Storage table with 10,000 volumes, in Chromium: what a user sees and does, with real layout
 * and real scrolling (the virtualizer measures rows and reads scroll positions from the browser).
 * The rows come in the server's order (useVolumeWindow fetches them; the server tests check the orders), some
 * pages not loaded yet: the table draws what it is given at the positions given, loading rows elsewhere, says which
 * rows are in view, and puts sort and filter in the URL.
 */
import { StrictMode, act, useSyncExternalStore } from "react";
import { createRoot, type Root } from "react-dom/client";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { userEvent } from "vitest/browser";
import type { FragmentType } from "../../../gql";
import "../../../styles.css";
import { WINDOW_PAGE, windowSlice } from "../utils/volume-window";
import { VolumesTable, type VolumeRow, type VolumesTable_StorageVolumeFragment } from "./VolumesTable";

const COUNT = 10_000;
// All below 1 TiB, shown in GiB.
const SIZES = [5, 10, 20, 50, 100, 200, 250, 500, 750, 1000];

function volume(i: number, patch: Partial<VolumeRow> = {}): VolumeRow {
  const name = `vol-${String(i).padStart(5, "0")}`;
  const sizeGiB = SIZES[(i * 7) % SIZES.length]!;
  return {
    __typename: "StorageVolume",
    id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    name,
    sizeGiB,
    requestedSizeGiB: null,
    status: "AVAILABLE",
    failureReason: null,
    storageClassName: `hks-${name}`,
    persistentVolumeName: `hks-acme-${name}`,
    node: i % 2 ? "pve1" : "pve2",
    storage: "local-lvm",
    monthlyCost: sizeGiB * 0.08,
    currency: "EUR",
    usage: {
      __typename: "VolumeUsage",
      usedBytes: ((i % 90) / 100) * sizeGiB * 1024 ** 3,
      capacityBytes: sizeGiB * 1024 ** 3,
      percent: i % 90,
      sampledAt: new Date().toISOString(),
      estimatedFullAt: null,
    },
    ...patch,
  } as VolumeRow;
}

const volumes = Array.from({ length: COUNT }, (_, i) => volume(i + 1));

/** What the page hands the table: loaded rows, their positions in the list (their own order if left out), the total. */
interface Shown {
  rows: readonly VolumeRow[];
  positions?: readonly number[];
  total: number;
}
const whole = (rows: readonly VolumeRow[]): Shown => ({ rows, total: rows.length });

interface Mounted {
  root: Root;
  router: ReturnType<typeof createMemoryRouter>;
  render(shown: Shown): Promise<void>;
  onExpand: ReturnType<typeof vi.fn>;
  rowsOnScreen: () => readonly string[];
  range: () => [number, number];
}

let mounted: Mounted | undefined;

async function mount(list: Shown, url = "/w/acme/storage"): Promise<Mounted> {
  const host = document.createElement("div");
  document.body.append(host);
  const root = createRoot(host);
  const onExpand = vi.fn();
  let onScreen: readonly string[] = [];
  let range: [number, number] = [-1, -1];
  // The page's data, as the cache would hand it down: replacing it re-renders the table.
  let current = list;
  const listeners = new Set<() => void>();
  const store = {
    subscribe: (l: () => void) => (listeners.add(l), () => void listeners.delete(l)),
    get: () => current,
  };
  const Page = () => {
    const data = useSyncExternalStore(store.subscribe, store.get);
    return (
      <VolumesTable
        volumes={data.rows as unknown as FragmentType<typeof VolumesTable_StorageVolumeFragment>[]}
        positions={data.positions}
        total={data.total}
        onRangeChange={(first, last) => (range = [first, last])}
        alerts={[]}
        canManage
        onUsage={() => undefined}
        onExpand={onExpand}
        onDelete={() => undefined}
        onRowsOnScreenChange={(ids) => (onScreen = ids)}
      />
    );
  };
  const router = createMemoryRouter([{ path: "/w/:workspaceId/storage", element: <Page /> }], { initialEntries: [url] });
  await act(async () =>
    root.render(
      <StrictMode>
        <RouterProvider router={router} />
      </StrictMode>,
    ),
  );
  const render = async (next: Shown) => {
    current = next;
    await act(async () => listeners.forEach((l) => l()));
  };
  mounted = { root, router, render, onExpand, rowsOnScreen: () => onScreen, range: () => range };
  return mounted;
}

afterEach(async () => {
  await act(async () => mounted?.root.unmount());
  mounted = undefined;
  document.body.innerHTML = "";
});

const table = () => document.querySelector<HTMLTableElement>('table[aria-label="Storage volumes"]')!;
const scrollBox = () => table().closest<HTMLElement>(".data-table-wrap")!;
const renderedRows = () => [...document.querySelectorAll<HTMLTableRowElement>('[data-testid="volume-row"]')];
const nameOf = (row: HTMLTableRowElement) => row.cells[0]!.textContent!.trim();
const sizeOf = (row: HTMLTableRowElement) => Number(/([\d.,]+)/.exec(row.cells[1]!.textContent!)![1]!.replace(/,/g, ""));

async function scrollTo(top: number) {
  await act(async () => {
    scrollBox().scrollTop = top;
    scrollBox().dispatchEvent(new Event("scroll"));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
}

describe("the Storage table with 10,000 volumes", { timeout: 30_000 }, () => {
  it("says there are 10,000 while only the rows in view are in the page", async () => {
    await mount(whole(volumes));
    await expect.poll(() => renderedRows().length).toBeGreaterThan(5);
    expect(document.querySelector(".table-count")!.textContent).toBe("10,000 volumes");
    expect(table().getAttribute("aria-rowcount")).toBe(String(COUNT + 1));
    expect(renderedRows().length).toBeLessThan(60);
    expect(nameOf(renderedRows()[0]!)).toBe("vol-00001");
    expect(renderedRows()[0]!.getAttribute("aria-rowindex")).toBe("2");
    // The header stays put while the body scrolls.
    expect(getComputedStyle(table().querySelector("th")!).position).toBe("sticky");
    // The usage poll is told exactly the rendered rows.
    expect(mounted!.rowsOnScreen()).toEqual(renderedRows().map((r) => volumes.find((v) => v.name === nameOf(r))!.id));
  });

  it("shows later rows as it scrolls, down to the last volume", async () => {
    await mount(whole(volumes));
    await expect.poll(() => renderedRows().length).toBeGreaterThan(5);

    const headerWidths = () => [...table().querySelectorAll("th")].map((th) => Math.round(th.getBoundingClientRect().width));
    const atTop = headerWidths();

    await scrollTo(scrollBox().scrollHeight / 2);
    await expect.poll(() => renderedRows().some((r) => /^vol-0(4|5|6)\d{3}$/.test(nameOf(r)))).toBe(true);
    // Columns do not get narrower as other rows scroll in.
    headerWidths().forEach((w, i) => expect(w).toBeGreaterThanOrEqual(atTop[i]! - 1));
    const middle = renderedRows().map((r) => Number(r.getAttribute("aria-rowindex")));
    expect(Math.min(...middle)).toBeGreaterThan(4000);
    expect(renderedRows().length).toBeLessThan(60);
    // Rows sit where they would with all 10,000 in the page: the ones rendered are in view.
    const box = scrollBox().getBoundingClientRect();
    expect(renderedRows().some((r) => r.getBoundingClientRect().top > box.top && r.getBoundingClientRect().bottom < box.bottom)).toBe(true);

    await scrollTo(scrollBox().scrollHeight);
    await expect.poll(() => nameOf(renderedRows().at(-1)!)).toBe("vol-10000");
    expect(renderedRows().at(-1)!.getAttribute("aria-rowindex")).toBe(String(COUNT + 1));
    expect(renderedRows().length).toBeLessThan(60);
  });

  it("asks for a sort by size from the header: in the URL, on the header, and from the top of the list", async () => {
    const { router, render } = await mount(whole(volumes));
    await expect.poll(() => renderedRows().length).toBeGreaterThan(5);
    await scrollTo(20_000);
    const sizeHeader = () => table().querySelectorAll("th")[1]!;

    // Numbers sort largest first on the first click, smallest first on the second.
    await userEvent.click(sizeHeader().querySelector("button")!);
    await expect.poll(() => router.state.location.search).toBe("?vsort=-sizeGiB");
    await expect.poll(() => sizeHeader().getAttribute("aria-sort")).toBe("descending");
    await expect.poll(() => scrollBox().scrollTop).toBe(0);
    // The server's answer: the table shows it in that order.
    await render(whole([...volumes].sort((a, b) => b.sizeGiB - a.sizeGiB || a.id.localeCompare(b.id))));
    await expect.poll(() => sizeOf(renderedRows()[0]!)).toBe(1000);

    await userEvent.click(sizeHeader().querySelector("button")!);
    await expect.poll(() => router.state.location.search).toBe("?vsort=sizeGiB");
    await expect.poll(() => sizeHeader().getAttribute("aria-sort")).toBe("ascending");
    // Monthly cost is no order of the server's: its header is no button.
    expect(table().querySelectorAll("th")[8]!.querySelector("button")).toBeNull();
  });

  it("draws rows not loaded yet as loading rows of the same height, and says which rows are in view", async () => {
    const loaded = new Map([[0, volumes.slice(0, WINDOW_PAGE)]]);
    await mount({ ...windowSlice(COUNT, loaded), total: COUNT });
    await expect.poll(() => renderedRows().length).toBeGreaterThan(5);
    // Handed one page of rows, the table still is the whole list to assistive technology.
    expect(table().getAttribute("aria-rowcount")).toBe(String(COUNT + 1));
    expect(mounted!.range()[0]).toBe(0);
    const rowHeight = renderedRows()[0]!.getBoundingClientRect().height;

    await scrollTo(scrollBox().scrollHeight / 2);
    await expect.poll(() => mounted!.range()[0]).toBeGreaterThan(4000);
    const placeholders = [...table().querySelectorAll<HTMLTableRowElement>("tr.data-table-placeholder")];
    expect(placeholders.length).toBeGreaterThan(5);
    expect(renderedRows()).toEqual([]);
    expect(placeholders[0]!.textContent).toMatch(/Loading/);
    expect(Math.abs(placeholders[0]!.getBoundingClientRect().height - rowHeight)).toBeLessThan(2);
    const [first, last] = mounted!.range();
    expect(Number(placeholders[0]!.getAttribute("aria-rowindex"))).toBe(first + 2);
    expect(last - first).toBeLessThan(60);
    // The usage poll is told no placeholder.
    expect(mounted!.rowsOnScreen().every((id) => !id.startsWith("placeholder"))).toBe(true);

    // The page there arrives: its rows take the placeholders' places.
    const page = Math.floor(first / WINDOW_PAGE);
    loaded.set(page, volumes.slice(page * WINDOW_PAGE, (page + 1) * WINDOW_PAGE));
    loaded.set(page + 1, volumes.slice((page + 1) * WINDOW_PAGE, (page + 2) * WINDOW_PAGE));
    await mounted!.render({ ...windowSlice(COUNT, loaded), total: COUNT });
    await expect.poll(() => renderedRows().length).toBeGreaterThan(5);
    expect(Number(renderedRows()[0]!.getAttribute("aria-rowindex")) - 2).toBe(Number(nameOf(renderedRows()[0]!).slice(4)) - 1);
  });

  it("shows what a filter from the URL matched, and says when nothing did", async () => {
    await mount(whole(volumes.filter((v) => v.name.includes("vol-0999"))), "/w/acme/storage?vq=vol-0999");
    await expect.poll(() => renderedRows().map(nameOf)).toEqual(Array.from({ length: 10 }, (_, i) => `vol-0999${i}`));
    expect(scrollBox().dataset["virtualized"]).toBeUndefined();
    expect(document.querySelector("[role=searchbox], input")).toHaveProperty("value", "vol-0999");
    await mounted!.render(whole([]));
    await expect.poll(() => table().textContent).toContain("No volumes match “vol-0999”.");
  });

  it("shows a live update in the changed volume's row, far down the list", async () => {
    const { render } = await mount(whole(volumes));
    await expect.poll(() => renderedRows().length).toBeGreaterThan(5);
    const firstRow = renderedRows()[0]!;

    const changed = volumes.map((v, i) => (i === 8999 ? volume(9000, { status: "EXPANDING", requestedSizeGiB: 1000 }) : v));
    await render(whole(changed));
    // Rows whose volume did not change are the same elements (they were not rebuilt).
    expect(renderedRows()[0]).toBe(firstRow);

    await scrollTo((scrollBox().scrollHeight * 8999) / COUNT);
    await expect.poll(() => renderedRows().find((r) => nameOf(r) === "vol-09000")?.textContent ?? "").toMatch(/Expanding/i);
    const row = renderedRows().find((r) => nameOf(r) === "vol-09000")!;
    expect(row.cells[1]!.textContent).toContain("→ 1,000 GiB");
    expect(renderedRows().find((r) => nameOf(r) === "vol-09001")?.textContent ?? "").not.toMatch(/Expanding/i);
  });

  it("runs a row action for the volume of that row", async () => {
    const { onExpand } = await mount(whole(volumes));
    await expect.poll(() => renderedRows().length).toBeGreaterThan(5);
    await scrollTo((scrollBox().scrollHeight * 7000) / COUNT);
    // A row in full view, far down the list.
    const box = scrollBox().getBoundingClientRect();
    const inView = () =>
      renderedRows().find((r) => {
        const rect = r.getBoundingClientRect();
        return rect.top > box.top + 60 && rect.bottom < box.bottom;
      });
    await expect.poll(() => inView() && Number(inView()!.getAttribute("aria-rowindex"))).toBeGreaterThan(6900);
    const name = nameOf(inView()!);

    await userEvent.click(document.querySelector<HTMLButtonElement>(`button[aria-label="Expand ${name}"]`)!);
    expect(onExpand).toHaveBeenCalledTimes(1);
    expect((onExpand.mock.calls[0]![0] as VolumeRow).name).toBe(name);
  });

  it("keeps the row that holds focus while it is scrolled out of view", async () => {
    await mount(whole(volumes));
    await expect.poll(() => renderedRows().length).toBeGreaterThan(5);
    const button = document.querySelector<HTMLButtonElement>('button[aria-label="Expand vol-00003"]')!;
    await act(async () => button.focus());

    await scrollTo(scrollBox().scrollHeight / 2);
    await expect.poll(() => renderedRows().some((r) => Number(r.getAttribute("aria-rowindex")) > 4000)).toBe(true);
    expect(document.activeElement).toBe(button);
    expect(button.isConnected).toBe(true);
    // The rows in view are what a paged owner fetches: not every page between them and the kept row.
    expect(mounted!.range()[0]).toBeGreaterThan(4000);
    // The kept row is not shown among the rows in view: it sits at its own place, above them.
    expect(button.getBoundingClientRect().bottom).toBeLessThan(scrollBox().getBoundingClientRect().top);
  });
});
