/**
 * What one bench reports: its figures (each a measured value, printed as-is), the target it is held
 * to, and whether the figures meet it. `run.ts` collects these into the table.
 */
export interface BenchResult {
  bench: string;
  /** What was measured, e.g. "median ratio vs plain handler". */
  figures: Array<{ what: string; value: string }>;
  target: string;
  met: boolean;
  /** Why a target is missed, or what the figure means when it is not obvious. */
  note?: string;
}

const MARKER = "BENCH_RESULT ";

/** Every bench script ends with this: one marked JSON line on stdout that the runner reads back. */
export function report(result: BenchResult): void {
  process.stdout.write(`${MARKER}${JSON.stringify(result)}\n`);
}

export function readResult(stdout: string): BenchResult | undefined {
  const line = stdout
    .split("\n")
    .reverse()
    .find((l) => l.startsWith(MARKER));
  return line ? (JSON.parse(line.slice(MARKER.length)) as BenchResult) : undefined;
}
