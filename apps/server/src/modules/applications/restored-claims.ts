/** On a claim a restore created: the backup and the run it was restored from. */
export const RESTORED_FROM_BACKUP_ANNOTATION = "hks.io/restored-from-backup";
export const RESTORED_FROM_RUN_ANNOTATION = "hks.io/restored-from-run";
