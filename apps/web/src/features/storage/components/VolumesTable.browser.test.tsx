/**
 * The Storage table with 10,000 volumes, in Chromium: what a user sees and does, with real layout
 * and real scrolling (the virtualizer measures rows and reads scroll positions from the browser).
 */
import { StrictMode, act, useSyncExternalStore } from "react";
import { createRoot, type Root } from "react-dom/client";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { userEvent } from "vitest/browser";
import type { FragmentType } from "../../../gql";
import "../../../styles.css";
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

interface Mounted {
  root: Root;
  router: ReturnType<typeof createMemoryRouter>;
  render(list: readonly VolumeRow[]): Promise<void>;
  onExpand: ReturnType<typeof vi.fn>;
  rowsOnScreen: () => readonly string[];
}

let mounted: Mounted | undefined;

async function mount(list: readonly VolumeRow[], url = "/w/acme/storage"): Promise<Mounted> {
  const host = document.createElement("div");
  document.body.append(host);
  const root = createRoot(host);
  const onExpand = vi.fn();
  let onScreen: readonly string[] = [];
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
        volumes={data as unknown as FragmentType<typeof VolumesTable_StorageVolumeFragment>[]}
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
  const render = async (next: readonly VolumeRow[]) => {
    current = next;
    await act(async () => listeners.forEach((l) => l()));
  };
  mounted = { root, router, render, onExpand, rowsOnScreen: () => onScreen };
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
    await mount(volumes);
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
    await mount(volumes);
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

  it("sorts all 10,000 by size from the header, in the URL, and shows the sorted list from the top", async () => {
    const { router } = await mount(volumes);
    await expect.poll(() => renderedRows().length).toBeGreaterThan(5);
    await scrollTo(20_000);
    const sizeHeader = () => table().querySelectorAll("th")[1]!;

    // Numbers sort largest first on the first click, smallest first on the second.
    await userEvent.click(sizeHeader().querySelector("button")!);
    await expect.poll(() => router.state.location.search).toBe("?vsort=-sizeGiB");
    await expect.poll(() => sizeHeader().getAttribute("aria-sort")).toBe("descending");
    await expect.poll(() => scrollBox().scrollTop).toBe(0);
    await expect.poll(() => sizeOf(renderedRows()[0]!)).toBe(1000);

    await userEvent.click(sizeHeader().querySelector("button")!);
    await expect.poll(() => router.state.location.search).toBe("?vsort=sizeGiB");
    await expect.poll(() => sizeHeader().getAttribute("aria-sort")).toBe("ascending");
    await expect.poll(() => sizeOf(renderedRows()[0]!)).toBe(5);
    const top = renderedRows().map(sizeOf);
    expect(top).toEqual([...top].sort((a, b) => a - b));

    // The sort's own jump back to the top may land after a scroll sent right after the click: scroll until at the bottom.
    await expect
      .poll(async () => {
        await scrollTo(scrollBox().scrollHeight);
        return renderedRows().at(-1)!.getAttribute("aria-rowindex");
      })
      .toBe(String(COUNT + 1));
    const bottom = renderedRows().map(sizeOf);
    expect(bottom.at(-1)).toBe(1000);
    expect(bottom).toEqual([...bottom].sort((a, b) => a - b));
  });

  it("applies a filter from the URL to all 10,000", async () => {
    await mount(volumes, "/w/acme/storage?vq=vol-0999");
    await expect.poll(() => renderedRows().map(nameOf)).toEqual(Array.from({ length: 10 }, (_, i) => `vol-0999${i}`));
    expect(scrollBox().dataset["virtualized"]).toBeUndefined();
  });

  it("shows a live update in the changed volume's row, far down the list", async () => {
    const { render } = await mount(volumes);
    await expect.poll(() => renderedRows().length).toBeGreaterThan(5);
    const firstRow = renderedRows()[0]!;

    const changed = volumes.map((v, i) => (i === 8999 ? volume(9000, { status: "EXPANDING", requestedSizeGiB: 1000 }) : v));
    await render(changed);
    // Rows whose volume did not change are the same elements (they were not rebuilt).
    expect(renderedRows()[0]).toBe(firstRow);

    await scrollTo((scrollBox().scrollHeight * 8999) / COUNT);
    await expect.poll(() => renderedRows().find((r) => nameOf(r) === "vol-09000")?.textContent ?? "").toMatch(/Expanding/i);
    const row = renderedRows().find((r) => nameOf(r) === "vol-09000")!;
    expect(row.cells[1]!.textContent).toContain("→ 1,000 GiB");
    expect(renderedRows().find((r) => nameOf(r) === "vol-09001")?.textContent ?? "").not.toMatch(/Expanding/i);
  });

  it("runs a row action for the volume of that row", async () => {
    const { onExpand } = await mount(volumes);
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
    await mount(volumes);
    await expect.poll(() => renderedRows().length).toBeGreaterThan(5);
    const button = document.querySelector<HTMLButtonElement>('button[aria-label="Expand vol-00003"]')!;
    await act(async () => button.focus());

    await scrollTo(scrollBox().scrollHeight / 2);
    await expect.poll(() => renderedRows().some((r) => Number(r.getAttribute("aria-rowindex")) > 4000)).toBe(true);
    expect(document.activeElement).toBe(button);
    expect(button.isConnected).toBe(true);
    // The kept row is not shown among the rows in view: it sits at its own place, above them.
    expect(button.getBoundingClientRect().bottom).toBeLessThan(scrollBox().getBoundingClientRect().top);
  });
});
