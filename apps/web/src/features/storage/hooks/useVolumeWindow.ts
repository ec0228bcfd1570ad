import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useApolloClient } from "@apollo/client/react";
import type { FragmentType } from "../../../gql";
import type { VolumesTable_StorageVolumeFragment } from "../components/VolumesTable";
import { StorageVolumeCursorsQuery, StorageVolumeWindowQuery } from "../graphql/volume-window";
import { cursorFor, pagesFor, pagesToDrop, WINDOW_PAGE, windowSlice, windowVariables, type ServerSort } from "../utils/volume-window";

type VolumeRef = FragmentType<typeof VolumesTable_StorageVolumeFragment> & { id: string };

/** Pages kept (watched in the cache, so live updates reach them) around the ones in view: ~2,000 rows. */
const KEEP_PAGES = 40;
/** Rows the view may move between two frames and still be fetched at once; a faster scroll (a drag of the scrollbar)
 * fetches where it stops, this long after the last move, instead of every page it passes. */
const FAST_SCROLL_ROWS = 10;
const SETTLE_MS = 80;
/** Events that add or remove volumes re-read the window once per burst. */
const RELOAD_AFTER_MS = 300;

interface WindowState {
  key: string;
  total: number | null;
  /** The server's cursor for every page (asked for on a jump only); element i starts page i + 1. */
  cursors: readonly string[];
  /** Each loaded page's last cursor: it starts the next page, so scrolling on needs no list of cursors. */
  endCursors: ReadonlyMap<number, string | null>;
  pages: ReadonlyMap<number, readonly VolumeRef[]>;
}

interface Watched {
  unsubscribe(): void;
  refetch(): unknown;
}

const EMPTY: WindowState = { key: "", total: null, cursors: [], endCursors: new Map(), pages: new Map() };
const samePages = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((p, i) => p === b[i]);

/**
 * The Storage table's rows, fetched from the server a page at a time around the rows in view, in the order and
 * under the filter the URL asks for. Each page is a watched cache query, so a live update written to the cache
 * (useStorageVolumeChanges) reaches its row; `listChanges` says a volume came or went, and the window is re-read.
 * A new order keeps the old rows on screen until its first page arrives (`busy` meanwhile), which then replaces them.
 *
 * Nothing here is proportional to the list's length: the table is handed the rows of the pages in view and their
 * positions, and draws the other positions as loading rows by index.
 */
export function useVolumeWindow(workspaceId: string, sort: ServerSort, search: string, listChanges?: EventTarget) {
  const client = useApolloClient();
  const key = JSON.stringify([workspaceId, sort.key, sort.direction, search]);
  const [state, setState] = useState<WindowState>(EMPTY);
  const [inView, setInView] = useState<readonly number[]>([0, 1]);
  const [error, setError] = useState<Error | null>(null);
  const watched = useRef(new Map<number, Watched>());
  const cursorsAsked = useRef<string | null>(null);
  const stateRef = useRef(state);
  stateRef.current = state;
  const range = useRef<[number, number]>([0, 0]);
  // The route read the first page of the order it opened with as it was entered (prefetchStorage).
  const enteredWith = useRef(key);

  const variables = useCallback(
    (after: string | null) => windowVariables(workspaceId, sort, search, after),
    // sort is read through the key, which names it (a new object each render otherwise).
    [key],
  );

  const watch = useCallback(
    (page: number, after: string | null) => {
      if (watched.current.has(page)) return;
      const observable = client.watchQuery({
        query: StorageVolumeWindowQuery,
        variables: variables(after),
        // The first page of the order the route opened with was just read (or is being read) by the route; the
        // first page of another order may be in the cache from earlier: shown at once, and read again. Later pages
        // are read from the server, then followed in the cache.
        fetchPolicy: page !== 0 ? "network-only" : key === enteredWith.current ? "cache-first" : "cache-and-network",
        nextFetchPolicy: "cache-first",
      });
      const subscription = observable.subscribe({
        next: (result) => {
          const connection = result.data?.workspace?.storageVolumePage;
          if (!connection) return;
          if (result.error) setError(result.error);
          const nodes = connection.nodes as unknown as VolumeRef[];
          const end = connection.pageInfo?.endCursor ?? null;
          setState((s) => {
            // The first page of an order replaces whatever order was shown; later ones join the pages of theirs.
            if (page !== 0 && s.key !== key) return s;
            const own = s.key === key;
            const pages = new Map(own ? s.pages : []);
            pages.set(page, nodes);
            const endCursors = new Map(own ? s.endCursors : []);
            endCursors.set(page, end);
            return { key, total: connection.totalCount ?? s.total, cursors: own ? s.cursors : [], endCursors, pages };
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

  /** Every page's cursor, once per order: for a jump to a page whose previous page is not loaded. */
  const askCursors = useCallback(() => {
    if (cursorsAsked.current === key) return;
    cursorsAsked.current = key;
    const { after: _after, ...rest } = variables(null);
    client
      .query({ query: StorageVolumeCursorsQuery, variables: rest, fetchPolicy: "network-only" })
      .then(({ data }) => {
        const cursors = data?.workspace?.storageVolumePage.pageCursors;
        if (cursors) setState((s) => (s.key === key ? { ...s, cursors } : s));
      })
      .catch((e: unknown) => {
        cursorsAsked.current = null;
        setError(e instanceof Error ? e : new Error(String(e)));
      });
  }, [client, key, variables]);

  /** Fetches the pages of rows `first`..`last` (and one either side) and lets go of the pages far away. */
  const ensure = useCallback(() => {
    const s = stateRef.current;
    if (s.key !== key || s.total === null) return;
    const [first, last] = range.current;
    const wanted = pagesFor(first, last, s.total);
    for (const page of wanted) {
      const after = cursorFor(page, s.cursors, s.endCursors);
      if (after !== undefined) watch(page, after);
      else if (!watched.current.has(page)) askCursors();
    }
    setInView((prev) => (samePages(prev, wanted) ? prev : wanted));
    const drop = pagesToDrop(watched.current.keys(), wanted, KEEP_PAGES).filter((p) => p !== 0);
    if (drop.length) {
      drop.forEach(unwatch);
      setState((prev) => {
        const pages = new Map(prev.pages);
        drop.forEach((p) => pages.delete(p));
        return { ...prev, pages };
      });
    }
  }, [key, watch, unwatch, askCursors]);

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

  const settle = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    // While a fast scroll settles, its timer fetches.
    if (!settle.current) ensure();
  }, [ensure, state.key, state.total, state.cursors, state.endCursors]);
  useEffect(
    () => () => {
      if (settle.current) clearTimeout(settle.current);
    },
    [],
  );

  // Once an order's first rows are shown, its cursors are read while the browser is idle: a drag of the scrollbar
  // then costs one request, not two.
  const shownKey = state.total !== null && (state.total ?? 0) > 2 * WINDOW_PAGE ? state.key : null;
  useEffect(() => {
    if (shownKey !== key) return;
    const idle = window.requestIdleCallback ?? ((fn: () => void) => window.setTimeout(fn, 300));
    const cancel = window.cancelIdleCallback ?? window.clearTimeout;
    const handle = idle(askCursors, { timeout: 2000 });
    return () => cancel(handle);
  }, [shownKey, key, askCursors]);

  const onRangeChange = useCallback(
    (first: number, last: number) => {
      const moved = Math.abs(first - range.current[0]);
      range.current = [first, last];
      if (settle.current) clearTimeout(settle.current);
      settle.current = null;
      if (moved <= FAST_SCROLL_ROWS) return ensure();
      settle.current = setTimeout(() => {
        settle.current = null;
        ensure();
      }, SETTLE_MS);
    },
    [ensure],
  );

  // A volume came or went: the total and the pages in view are re-read (once per burst); pages further away and
  // the cursors are let go, to be read again when needed.
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
        const inViewNow = pagesFor(range.current[0], range.current[1], s.total ?? 0);
        const far = [...watched.current.keys()].filter((p) => p !== 0 && !inViewNow.includes(p));
        far.forEach(unwatch);
        cursorsAsked.current = null;
        setState((prev) => ({
          ...prev,
          cursors: [],
          pages: far.length ? new Map([...prev.pages].filter(([p]) => !far.includes(p))) : prev.pages,
        }));
        for (const w of watched.current.values()) void Promise.resolve(w.refetch()).catch(() => undefined);
      }, RELOAD_AFTER_MS);
    };
    listChanges.addEventListener("change", reload);
    return () => {
      listChanges.removeEventListener("change", reload);
      if (timer) clearTimeout(timer);
    };
  }, [listChanges, unwatch]);

  // The first page always: a new order's first rows show the moment they arrive, whatever was in view before.
  const slice = useMemo(() => windowSlice(state.total ?? 0, state.pages, [0, ...inView], WINDOW_PAGE), [state.total, state.pages, inView]);
  return {
    /** The loaded rows of the pages in view, in list order. */
    rows: slice.rows,
    /** Where each of `rows` sits in the whole list. */
    positions: slice.positions,
    total: state.total,
    /** The rows on screen are of another order or filter than the URL's; the new ones are on their way. */
    busy: state.key !== key,
    error,
    onRangeChange,
  };
}
