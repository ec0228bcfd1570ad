import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useApolloClient } from "@apollo/client/react";
import type { FragmentType } from "../../../gql";
import type { VolumesTable_StorageVolumeFragment } from "../components/VolumesTable";
import { StorageVolumeWindowQuery } from "../graphql/volume-window";
import { pagesFor, pagesToDrop, windowRows, windowVariables, type Placeholder, type ServerSort } from "../utils/volume-window";

type VolumeRef = FragmentType<typeof VolumesTable_StorageVolumeFragment> & { id: string };

/** Pages kept (watched in the cache, so live updates reach them) around the ones in view: ~2,000 rows. */
const KEEP_PAGES = 20;
/** Events that add or remove volumes re-read the window once per burst. */
const RELOAD_AFTER_MS = 300;

interface WindowState {
  key: string;
  total: number | null;
  cursors: readonly string[];
  pages: ReadonlyMap<number, readonly VolumeRef[]>;
}

interface Watched {
  unsubscribe(): void;
  refetch(): unknown;
}

/**
 * The Storage table's rows, fetched from the server a page at a time around the rows in view, in the order and
 * under the filter the URL asks for. Each page is a watched cache query, so a live update written to the cache
 * (useStorageVolumeChanges) reaches its row; `listChanges` says a volume came or went, and the window is re-read.
 * A new order keeps the old rows on screen until its first page arrives (`busy` meanwhile).
 */
export function useVolumeWindow(workspaceId: string, sort: ServerSort, search: string, listChanges?: EventTarget) {
  const client = useApolloClient();
  const key = JSON.stringify([workspaceId, sort.key, sort.direction, search]);
  const [state, setState] = useState<WindowState>({ key: "", total: null, cursors: [], pages: new Map() });
  const [error, setError] = useState<Error | null>(null);
  const watched = useRef(new Map<number, Watched>());
  const stateRef = useRef(state);
  stateRef.current = state;
  const range = useRef<[number, number]>([0, 0]);

  const variables = useCallback(
    (page: number, after: string | null) => windowVariables(workspaceId, sort, search, page, after),
    // sort is read through the key, which names it (a new object each render otherwise).
    [key],
  );

  const watch = useCallback(
    (page: number, after: string | null) => {
      if (watched.current.has(page)) return;
      const observable = client.watchQuery({
        query: StorageVolumeWindowQuery,
        variables: variables(page, after),
        // The first page may be in the cache already (StoragePage asks for it alongside its own query): shown at once,
        // and read again. Later pages are read from the server, then followed in the cache.
        fetchPolicy: page === 0 ? "cache-and-network" : "network-only",
        nextFetchPolicy: "cache-first",
      });
      const subscription = observable.subscribe({
        next: (result) => {
          const connection = result.data?.workspace?.storageVolumePage;
          if (!connection) return;
          if (result.error) setError(result.error);
          const nodes = connection.nodes as unknown as VolumeRef[];
          setState((s) => {
            if (page === 0) {
              // The first page of an order replaces whatever order was shown; later ones join the pages of theirs.
              const pages = new Map(s.key === key ? s.pages : []);
              pages.set(0, nodes);
              return { key, total: connection.totalCount ?? 0, cursors: connection.pageCursors ?? s.cursors, pages };
            }
            if (s.key !== key) return s;
            const pages = new Map(s.pages);
            pages.set(page, nodes);
            return { ...s, total: connection.totalCount ?? s.total, pages };
          });
        },
        error: (e: unknown) => setError(e instanceof Error ? e : new Error(String(e))),
      });
      watched.current.set(page, { unsubscribe: () => subscription.unsubscribe(), refetch: () => observable.refetch() });
    },
    [client, key, variables],
  );

  const unwatch = useCallback((page: number) => {
    watched.current.get(page)?.unsubscribe();
    watched.current.delete(page);
  }, []);

  /** Fetches the pages of rows `first`..`last` (and one either side) and lets go of the pages far away. */
  const ensure = useCallback(() => {
    const s = stateRef.current;
    if (s.key !== key || s.total === null) return;
    const [first, last] = range.current;
    const wanted = pagesFor(first, last, s.total);
    for (const page of wanted) {
      const after = page === 0 ? null : s.cursors[page - 1];
      if (after !== undefined) watch(page, after);
    }
    const drop = pagesToDrop(watched.current.keys(), wanted, KEEP_PAGES).filter((p) => p !== 0);
    if (drop.length) {
      drop.forEach(unwatch);
      setState((prev) => {
        const pages = new Map(prev.pages);
        drop.forEach((p) => pages.delete(p));
        return { ...prev, pages };
      });
    }
  }, [key, watch, unwatch]);

  // A new order or filter: let go of every page of the old one and ask for the first page of the new one.
  useEffect(() => {
    setError(null);
    const pages = watched.current;
    watch(0, null);
    return () => {
      for (const page of [...pages.keys()]) {
        pages.get(page)?.unsubscribe();
        pages.delete(page);
      }
    };
  }, [watch]);

  useEffect(ensure, [ensure, state.key, state.total, state.cursors]);

  const onRangeChange = useCallback(
    (first: number, last: number) => {
      range.current = [first, last];
      ensure();
    },
    [ensure],
  );

  // A volume came or went: the total, the page cursors and the pages in view are re-read (once per burst); pages
  // further away are let go, to be read again when scrolled to.
  useEffect(() => {
    if (!listChanges) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const reload = (event: Event) => {
      const changed = ((event as CustomEvent<Array<{ id: string; status: string }>>).detail ?? []) as Array<{ id: string; status: string }>;
      const shown = new Set<string>();
      for (const list of stateRef.current.pages.values()) for (const v of list) shown.add(v.id);
      if (!changed.some((v) => v.status === "DELETED" || !shown.has(v.id))) return;
      timer ??= setTimeout(() => {
        timer = null;
        const s = stateRef.current;
        const inView = pagesFor(range.current[0], range.current[1], s.total ?? 0);
        const far = [...watched.current.keys()].filter((p) => p !== 0 && !inView.includes(p));
        far.forEach(unwatch);
        if (far.length) setState((prev) => ({ ...prev, pages: new Map([...prev.pages].filter(([p]) => !far.includes(p))) }));
        for (const w of watched.current.values()) void Promise.resolve(w.refetch()).catch(() => undefined);
      }, RELOAD_AFTER_MS);
    };
    listChanges.addEventListener("change", reload);
    return () => {
      listChanges.removeEventListener("change", reload);
      if (timer) clearTimeout(timer);
    };
  }, [listChanges, unwatch]);

  const rows = useMemo<Array<VolumeRef | Placeholder>>(() => windowRows(state.total ?? 0, state.pages), [state.total, state.pages]);
  return {
    rows,
    total: state.total,
    /** The rows on screen are of another order or filter than the URL's; the new ones are on their way. */
    busy: state.key !== key,
    error,
    onRangeChange,
  };
}
