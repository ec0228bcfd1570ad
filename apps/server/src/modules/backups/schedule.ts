import { CronExpressionParser } from "cron-parser";
import cronstrue from "cronstrue";

/** The macros Kubernetes CronJobs accept, as the 5-field expressions they stand for. */
const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

export type ScheduleCheck = { ok: true; expression: string } | { ok: false; field: "schedule" | "timeZone"; message: string };

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return /^[A-Za-z]/.test(zone);
  } catch {
    return false;
  }
}

/** Checks a schedule the way the Kubernetes CronJob validation does: 5 fields or a macro, zone apart. */
export function checkSchedule(schedule: string, timeZone: string): ScheduleCheck {
  const text = schedule.trim().replace(/\s+/g, " ");
  if (/(^|\s)(CRON_)?TZ=/.test(text)) {
    return {
      ok: false,
      field: "schedule",
      message: "Put the time zone in the time zone field, not TZ= or CRON_TZ= in the schedule (Kubernetes rejects those).",
    };
  }
  if (!isTimeZone(timeZone)) {
    return {
      ok: false,
      field: "timeZone",
      message: `'${timeZone}' is not a known IANA time zone (e.g. Europe/Berlin, America/New_York, UTC).`,
    };
  }
  const expression = text.startsWith("@") ? MACROS[text] : text;
  if (!expression) {
    return {
      ok: false,
      field: "schedule",
      message: `'${text}' is not a schedule macro Kubernetes knows (${Object.keys(MACROS).join(", ")}).`,
    };
  }
  if (expression.split(" ").length !== 5) {
    return {
      ok: false,
      field: "schedule",
      message: "A schedule has five fields: minute hour day-of-month month day-of-week (e.g. '0 2 * * *' for 02:00 every day).",
    };
  }
  try {
    CronExpressionParser.parse(expression, { tz: timeZone, strict: false }).next();
  } catch (error) {
    return { ok: false, field: "schedule", message: `'${text}' is not a valid cron schedule: ${(error as Error).message}.` };
  }
  return { ok: true, expression };
}

/** The next `count` run times after `from`, in the schedule's time zone. */
export function nextRuns(expression: string, timeZone: string, count: number, from: Date = new Date()): Date[] {
  const cron = CronExpressionParser.parse(expression, { tz: timeZone, currentDate: from });
  const runs: Date[] = [];
  for (let i = 0; i < count && cron.hasNext(); i++) runs.push(cron.next().toDate());
  return runs;
}

/** Scheduled times in (from, to], oldest first: the runs that should have happened. */
export function runsBetween(expression: string, timeZone: string, from: Date, to: Date, limit = 100): Date[] {
  const cron = CronExpressionParser.parse(expression, { tz: timeZone, currentDate: from, endDate: to });
  const runs: Date[] = [];
  while (runs.length < limit && cron.hasNext()) runs.push(cron.next().toDate());
  return runs;
}

/** The shortest gap between consecutive runs over the next year's worth of a sample. */
export function shortestIntervalMinutes(expression: string, timeZone: string, from: Date = new Date()): number {
  const runs = nextRuns(expression, timeZone, 500, from);
  let shortest = Number.POSITIVE_INFINITY;
  for (let i = 1; i < runs.length; i++) shortest = Math.min(shortest, (runs[i]!.getTime() - runs[i - 1]!.getTime()) / 60_000);
  return shortest;
}

export function describeSchedule(schedule: string, timeZone: string): string {
  const expression = MACROS[schedule.trim()] ?? schedule.trim();
  try {
    return `${cronstrue.toString(expression, { use24HourTimeFormat: true, verbose: false })} (${timeZone})`;
  } catch {
    return schedule;
  }
}
