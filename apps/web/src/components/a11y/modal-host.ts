/**
 * The open modal dialogs, newest last. Everything outside the top one is inert (hidden from screen
 * readers), so the live regions move into it while it is open.
 */
const stack: HTMLElement[] = [];
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

export const modalHost = {
  push(el: HTMLElement) {
    stack.push(el);
    notify();
  },
  remove(el: HTMLElement) {
    const i = stack.lastIndexOf(el);
    if (i >= 0) stack.splice(i, 1);
    notify();
  },
  top: (): HTMLElement | null => stack[stack.length - 1] ?? null,
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
