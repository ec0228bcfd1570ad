import { useSyncExternalStore } from "react";
import { tokenStore } from "../utils/token-store";

export function useAuthToken(): string | null {
  return useSyncExternalStore(tokenStore.subscribe, tokenStore.get, () => null);
}
