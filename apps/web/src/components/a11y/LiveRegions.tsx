import { useEffect, useSyncExternalStore } from "react";
import { createPortal } from "react-dom";
import { announcer } from "./announcer";
import { keepFocusAcrossRerenders } from "./keep-focus";
import { modalHost } from "./modal-host";

/**
 * The app's polite and assertive live regions, mounted once at the root (inside the open modal dialog,
 * if any), and the keeper of focus across re-renders.
 */
export function LiveRegions() {
  useEffect(() => keepFocusAcrossRerenders(), []);
  const text = useSyncExternalStore(announcer.subscribe, announcer.text);
  const host = useSyncExternalStore(modalHost.subscribe, modalHost.top) ?? document.body;
  return createPortal(
    <div className="visually-hidden">
      <div role="status" aria-live="polite" aria-atomic="true" data-testid="announcer-polite">
        {text.polite}
      </div>
      <div aria-live="assertive" aria-atomic="true" data-testid="announcer-assertive">
        {text.assertive}
      </div>
    </div>,
    host,
  );
}
