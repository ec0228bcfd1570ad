import { skipToken, useQuery } from "@apollo/client/react";
import { SchedulePreviewQuery } from "../graphql/backup-queries";
import { useDebouncedValue } from "./useDebouncedValue";

/**
 * The live preview of a schedule in a zone (description and next runs), asked ~300 ms after
 * typing stops. `settled` is false while the shown preview is for older input.
 */
export function useSchedulePreview(schedule: string, timeZone: string) {
  const input = useDebouncedValue({ schedule: schedule.trim(), timeZone: timeZone.trim() }, 300);
  const ready = input.schedule !== "" && input.timeZone !== "";
  const { data, previousData, loading, error } = useQuery(
    SchedulePreviewQuery,
    ready ? { variables: input, fetchPolicy: "cache-and-network" } : skipToken,
  );
  const preview = (data ?? previousData)?.schedulePreview ?? null;
  const settled = Boolean(data) && input.schedule === schedule.trim() && input.timeZone === timeZone.trim() && !loading;
  return { preview: ready ? preview : null, settled, loading, error };
}
