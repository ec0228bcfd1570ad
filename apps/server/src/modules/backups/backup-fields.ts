import type { V1PersistentVolume, V1PersistentVolumeClaim } from "@kubernetes/client-node";
import type { Database } from "../../db/client.js";
import type { BackupFunctionParams, RetentionPolicy } from "../../db/schema/backups.js";
import { invalidInput } from "../../kernel/errors.js";
import { PERSISTENT_VOLUME_CLAIM } from "../../platform/kubernetes/kinds/persistent-volume-claim.js";
import type { BackupFunctionInput, RetentionInput } from "./backup.inputs.js";
import type { BackupScope } from "./backup-lookup.js";
import type { BackupRecord } from "./backup.repository.js";
import { destinationClaim, destinationVolume } from "./backup-spec.js";
import { checkSchedule, shortestIntervalMinutes } from "./schedule.js";
import {
  validateDatabase,
  validateDestinationPath,
  validateImage,
  validatePvcName,
  validateRetention,
  validateScript,
} from "./validation.js";

const DATABASE_FUNCTIONS = new Set(["PG_DUMP", "MYSQLDUMP"]);

/** Validates and normalizes everything a backup is made of, against the plan and the live cluster. */
export async function checkedBackupFields(
  db: Database,
  scope: BackupScope,
  input: {
    schedule: string;
    timeZone: string;
    source: { pvcName?: string | null };
    destination: { volumeId: string; path: string };
    fn: BackupFunctionInput;
    retention?: RetentionInput | RetentionPolicy | null;
  },
) {
  const schedule = checkSchedule(input.schedule, input.timeZone);
  if (!schedule.ok) throw invalidInput(schedule.field, schedule.message);
  const minInterval = scope.workspace.plan.minBackupIntervalMinutes;
  const shortest = shortestIntervalMinutes(schedule.expression, input.timeZone);
  if (shortest < minInterval) {
    throw invalidInput(
      "schedule",
      `This schedule runs every ${shortest} minutes at times; the ${scope.workspace.plan.name} plan allows a backup at most every ${minInterval} minutes.`,
    );
  }
  const functionParams = checkFunction(input.fn);
  const isDatabase = DATABASE_FUNCTIONS.has(input.fn.kind);
  let sourcePvcName: string | null = null;
  if (!isDatabase) {
    if (!input.source.pvcName) throw invalidInput("source.pvcName", "Choose the claim (PVC) to back up.");
    sourcePvcName = validatePvcName(input.source.pvcName, "source.pvcName");
    const pvc = await scope.client.read<V1PersistentVolumeClaim>({
      ...PERSISTENT_VOLUME_CLAIM,
      metadata: { name: sourcePvcName, namespace: scope.app.namespace },
    });
    if (!pvc) throw invalidInput("source.pvcName", `There is no claim named '${sourcePvcName}' in namespace '${scope.app.namespace}'.`);
  }
  const volume = await destinationVolume(db, scope.workspace.id, input.destination.volumeId);
  const destinationPath = validateDestinationPath(input.destination.path);
  await destinationClaim(scope.client, volume, scope.app.namespace);
  if (sourcePvcName) await checkPlacement(scope, sourcePvcName, volume.node);
  return {
    schedule: input.schedule.trim().replace(/\s+/g, " "),
    timeZone: input.timeZone,
    sourcePvcName,
    destinationVolumeId: volume.id,
    destinationPath,
    functionKind: input.fn.kind,
    functionParams,
    retention: validateRetention(input.retention ?? {}),
  };
}

/** Both ReadWriteOnce volumes must attach on one node; local disks cannot move, so say so now rather than at 02:00. */
async function checkPlacement(scope: BackupScope, sourcePvcName: string, destinationNode: string | null) {
  if (!destinationNode) return;
  const pvc = await scope.client.read<V1PersistentVolumeClaim>({
    ...PERSISTENT_VOLUME_CLAIM,
    metadata: { name: sourcePvcName, namespace: scope.app.namespace },
  });
  const pvName = pvc?.spec?.volumeName;
  if (!pvName) return;
  const pv = await scope.client.read<V1PersistentVolume>({
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: pvName },
  });
  const zones = pv?.spec?.nodeAffinity?.required?.nodeSelectorTerms
    ?.flatMap((t) => t.matchExpressions ?? [])
    .filter((e) => e.key === "topology.kubernetes.io/zone" && e.operator === "In")
    .flatMap((e) => e.values ?? []);
  if (zones?.length && !zones.includes(destinationNode)) {
    throw invalidInput(
      "destination.volumeId",
      `The claim '${sourcePvcName}' lives on node ${zones.join("/")} and the volume on ${destinationNode}; local volumes cannot move between Proxmox nodes, so no pod can mount both. Choose a volume on ${zones.join("/")}.`,
    );
  }
}

function checkFunction(fn: BackupFunctionInput): BackupFunctionParams {
  switch (fn.kind as BackupRecord["functionKind"]) {
    case "TAR":
      return { compression: fn.compression ?? "ZSTD" };
    case "RSYNC":
      return {};
    case "PG_DUMP":
    case "MYSQLDUMP": {
      if (!fn.database)
        throw invalidInput(
          "function.database",
          "A database function needs the database to dump: host, port, name, user and the Secret with the password.",
        );
      return { ...(fn.kind === "MYSQLDUMP" ? { compression: fn.compression ?? "ZSTD" } : {}), database: validateDatabase(fn.database) };
    }
    case "CUSTOM":
      return { image: validateImage(fn.image ?? ""), script: validateScript(fn.script ?? "") };
    default:
      throw invalidInput("function.kind", `Unknown backup function '${String(fn.kind)}'.`);
  }
}

export function fromParams(kind: BackupRecord["functionKind"], params: BackupFunctionParams): BackupFunctionInput {
  return {
    kind,
    compression: params.compression,
    image: params.image,
    script: params.script,
    database: params.database,
  } as BackupFunctionInput;
}
