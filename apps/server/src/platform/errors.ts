/** A call to an outside system failed; `message` is that system's own words, for logs and failure reasons. */
export class PlatformError extends Error {
  constructor(
    readonly system: "proxmox" | "kubernetes" | "prometheus",
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "PlatformError";
  }

  /** Whether trying again later may succeed (the system was unreachable or overloaded), as opposed to a refusal. */
  get transient(): boolean {
    return this.status === undefined || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

/** Bounds a platform call: a hung endpoint must not hold a saga step forever. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string, system: PlatformError["system"]): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PlatformError(system, `${what} did not answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
