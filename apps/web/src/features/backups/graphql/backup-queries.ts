import { graphql } from "../../../gql";

/** The selected backup's runs (newest first, paged with `before`) and what the next prune removes. */
export const BackupRunsPanelQuery = graphql(`
  query BackupRunsPanel($backupId: ID!, $first: Int!, $before: DateTimeISO) {
    backup(id: $backupId) {
      id
      runs(first: $first, before: $before) {
        nodes {
          id
          ...RunsTable_BackupRunFragment
        }
        totalCount
        nextBefore
      }
      ...PrunePreview_BackupFragment
      ...RepositoryFigures_BackupFragment
    }
  }
`);

/** Re-reads what a finished run moves: last run, next run, the first page of runs, the prune preview. */
export const BackupRefreshQuery = graphql(`
  query BackupRefresh($backupId: ID!) {
    backup(id: $backupId) {
      id
      ...BackupsTable_BackupFragment
      ...PrunePreview_BackupFragment
      ...RepositoryFigures_BackupFragment
      runs(first: 20) {
        nodes {
          id
          ...RunsTable_BackupRunFragment
        }
        totalCount
        nextBefore
      }
    }
  }
`);

/**
 * A run's log. There is no root field for one run, so this reads a small window of the backup's
 * runs around it; always with fetchPolicy "no-cache" (it must not merge into the runs list).
 */
export const BackupRunLogsQuery = graphql(`
  query BackupRunLogs($runId: ID!) {
    backupRun(id: $runId) {
      id
      status
      logs
    }
  }
`);

export const SchedulePreviewQuery = graphql(`
  query SchedulePreview($schedule: String!, $timeZone: String!) {
    schedulePreview(schedule: $schedule, timeZone: $timeZone) {
      valid
      error
      field
      description
      nextRuns
    }
  }
`);
