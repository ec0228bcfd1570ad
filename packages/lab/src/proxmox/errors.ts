// One error type for everything a handler can refuse, so the HTTP layer can render the exact PVE error
// envelope (`{data:null,message,errors}`) and reason phrase in a single place.
export class PveError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string>,
  ) {
    super(message);
  }
}

/** PVE reports every runtime failure (not-found included) as 500; only schema violations are 400. */
export function fail(message: string): PveError {
  return new PveError(500, message);
}

export function paramError(errors: Record<string, string>): PveError {
  return new PveError(400, "Parameter verification failed.", errors);
}
