/** Any String argument or input field not named below: longer than any name, path or sentence the product takes. */
export const DEFAULT_STRING_CAP = 1_024;

/** Items in any list argument or input list (a namespace quota's storage classes are the only one). */
export const MAX_INPUT_LIST = 100;

/** DNS-1123 label (Kubernetes names, database names and users). */
const LABEL = 63;
/** DNS-1123 subdomain (claims, Secrets, StorageClasses, hosts). */
const SUBDOMAIN = 253;

/**
 * Per-field caps on String inputs, by schema coordinate (`Type.field` for input fields, `Type.field(arg:)` for
 * arguments), declared once here and enforced at the edge (inputs.ts) before any resolver runs; the services'
 * own validation still says precisely what is wrong with a value within the cap. A test fails when a
 * coordinate here no longer exists in the schema.
 */
export const STRING_CAPS: Readonly<Record<string, number>> = {
  "Mutation.login(email:)": 254,
  "Query.schedulePreview(schedule:)": 256,
  "Query.schedulePreview(timeZone:)": 64,
  "CreateBackupInput.name": LABEL,
  "CreateBackupInput.schedule": 256,
  "CreateBackupInput.timeZone": 64,
  "UpdateBackupInput.schedule": 256,
  "UpdateBackupInput.timeZone": 64,
  "BackupFunctionInput.script": 64 * 1024,
  "BackupFunctionInput.image": 512,
  "BackupDestinationInput.path": 1_024,
  "BackupSourceInput.pvcName": SUBDOMAIN,
  "DatabaseSourceInput.host": SUBDOMAIN,
  "DatabaseSourceInput.name": LABEL,
  "DatabaseSourceInput.user": LABEL,
  "DatabaseSourceInput.passwordSecretName": SUBDOMAIN,
  "DatabaseSourceInput.passwordSecretKey": SUBDOMAIN,
  "CreateStorageVolumeInput.name": LABEL,
  "CreateStorageVolumeInput.idempotencyKey": 128,
  "ExpandStorageVolumeInput.idempotencyKey": 128,
  "ReplyToAssistantInput.text": 4_000,
  "RestoreBackupRunInput.targetPvcName": SUBDOMAIN,
  "RestoreBackupRunInput.targetStorageClassName": SUBDOMAIN,
  "SetNamespaceQuotaInput.namespace": LABEL,
  "StorageClassQuotaInput.storageClassName": SUBDOMAIN,
};
