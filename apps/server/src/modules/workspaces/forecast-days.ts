import { invalidInput } from "../../kernel/errors.js";

/** The days of projected need an expansion is sized for, unless the workspace says otherwise (issue 12). */
export const DEFAULT_FORECAST_DAYS = 90;
/** Under a week an expansion would be proposed again before anyone acts; over two years the projection is a guess. */
export const FORECAST_DAYS_MIN = 7;
export const FORECAST_DAYS_MAX = 730;

export function checkForecastDays(days: number): number {
  if (!Number.isInteger(days) || days < FORECAST_DAYS_MIN || days > FORECAST_DAYS_MAX) {
    throw invalidInput(
      "forecastDays",
      `Size expansions for between ${FORECAST_DAYS_MIN} and ${FORECAST_DAYS_MAX} whole days (${days} was given): a week at least, so a proposal is not made again before anyone acts on it, and two years at most, beyond which the projection is a guess.`,
    );
  }
  return days;
}
