import { useCallback, useState } from "react";
import { newIdempotencyKey } from "../../../lib/uuid";

/**
 * One key per dialog opening (the dialog mounts per opening), so a double-submit or a retry
 * after a network error cannot create twice. `renew` is for after the server *rejected* an
 * attempt and the user changed the input: nothing was created, and reusing the key for a
 * different request could be refused as a key reuse.
 */
export function useIdempotencyKey() {
  const [key, setKey] = useState(newIdempotencyKey);
  const renew = useCallback(() => setKey(newIdempotencyKey()), []);
  return [key, renew] as const;
}
