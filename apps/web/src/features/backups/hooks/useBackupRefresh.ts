import { useCallback, useEffect, useRef } from "react";
import { useApolloClient } from "@apollo/client/react";
import { BackupRefreshQuery } from "../graphql/backup-queries";

/** A debounced re-read of one backup's last run, next run, first runs page and prune preview. */
export function useBackupRefresh(delayMs = 500) {
  const client = useApolloClient();
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  useEffect(() => {
    const map = timers.current;
    return () => {
      for (const t of map.values()) clearTimeout(t);
      map.clear();
    };
  }, []);

  return useCallback(
    (backupId: string) => {
      const map = timers.current;
      const pending = map.get(backupId);
      if (pending) clearTimeout(pending);
      map.set(
        backupId,
        setTimeout(() => {
          map.delete(backupId);
          client.query({ query: BackupRefreshQuery, variables: { backupId }, fetchPolicy: "network-only" }).catch(() => {
            /* the next change or a reload will try again */
          });
        }, delayMs),
      );
    },
    [client, delayMs],
  );
}
