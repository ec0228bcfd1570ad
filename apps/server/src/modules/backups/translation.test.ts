import { describe, expect, it } from "vitest";
import { cronJobManifest, MAX_CRON_JOB_NAME } from "../../platform/kubernetes/kinds/cron-job.js";
import {
  backupJobSpec,
  backupLabels,
  cronJobNameFor,
  DEFAULT_TRANSLATION,
  restoreJobSpec,
  verifyJobSpec,
  type BackupSpec,
} from "./translation.js";

const options = { ...DEFAULT_TRANSLATION, image: "ghcr.io/hks/backup-functions:1.0.0" };
const base: BackupSpec = {
  id: "3f2a9c1e-0000-4000-8000-000000000001",
  applicationId: "app-1",
  name: "nightly",
  namespace: "shop",
  schedule: "0 2 * * *",
  timeZone: "Europe/Berlin",
  suspended: false,
  concurrencyPolicy: "FORBID",
  sourcePvcName: "shop-db-data",
  destinationClaimName: "hks-backup-vol-1",
  destinationPath: "shop/db",
  destinationZone: "pve1",
  functionKind: "TAR",
  functionParams: { compression: "ZSTD" },
  format: "PLAIN",
  retention: { keepLast: 7 },
  verifyAfterRun: false,
};

const envOf = (spec: ReturnType<typeof backupJobSpec>) =>
  Object.fromEntries((spec.template.spec!.containers[0]!.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));

describe("a Backup becomes a CronJob", () => {
  it("carries the schedule, zone, policies, limits and deadlines", () => {
    const cron = cronJobManifest({
      name: cronJobNameFor({ name: "a".repeat(28), id: base.id }),
      namespace: "shop",
      labels: backupLabels(base),
      schedule: base.schedule,
      timeZone: base.timeZone,
      suspend: false,
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: options.startingDeadlineSeconds,
      jobSpec: backupJobSpec(base, options),
    });
    expect(cron.metadata!.name!.length).toBeLessThanOrEqual(MAX_CRON_JOB_NAME);
    expect(cron.spec).toMatchObject({
      schedule: "0 2 * * *",
      timeZone: "Europe/Berlin",
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      suspend: false,
    });
    const job = cron.spec!.jobTemplate.spec!;
    expect(job).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 21600, ttlSecondsAfterFinished: 86400 });
    expect(job.podFailurePolicy!.rules[0]).toEqual({
      action: "FailJob",
      onExitCodes: { containerName: "backup", operator: "In", values: [28, 66, 77, 65] },
    });
    const pod = job.template.spec!;
    expect(pod.restartPolicy).toBe("Never");
    expect(pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchExpressions?.[0]).toEqual(
      {
        key: "topology.kubernetes.io/zone",
        operator: "In",
        values: ["pve1"],
      },
    );
    expect(pod.volumes).toEqual([
      { name: "destination", persistentVolumeClaim: { claimName: "hks-backup-vol-1" } },
      { name: "source", persistentVolumeClaim: { claimName: "shop-db-data", readOnly: true } },
    ]);
    const container = pod.containers[0]!;
    expect(container.command).toEqual(["/opt/hks/bin/hks-backup"]);
    expect(container.args).toBeUndefined();
    expect(container.volumeMounts).toEqual([
      { name: "destination", mountPath: "/backup" },
      { name: "source", mountPath: "/source", readOnly: true },
    ]);
    expect(container.terminationMessagePath).toBe("/dev/termination-log");
    expect(cron.metadata!.labels).toMatchObject({
      "backup.hks.io/backup-id": base.id,
      "backup.hks.io/application-id": "app-1",
      "app.kubernetes.io/managed-by": "hks",
    });
    expect(job.template.metadata!.labels).toMatchObject({ "backup.hks.io/backup-id": base.id, "backup.hks.io/run-kind": "backup" });
  });

  it("passes every parameter as an environment variable", () => {
    expect(envOf(backupJobSpec(base, options))).toEqual({
      HKS_FUNCTION: "tar",
      HKS_COMPRESSION: "zstd",
      HKS_TIMEZONE: "Europe/Berlin",
      HKS_MODE: "backup",
      HKS_SOURCE_DIR: "/source",
      HKS_DEST_DIR: "/backup/shop/db",
      HKS_KEEP_LAST: "7",
      HKS_TERMINATION_LOG: "/dev/termination-log",
    });
    const rsync = envOf(
      backupJobSpec(
        {
          ...base,
          functionKind: "RSYNC",
          functionParams: {},
          retention: { keepDaily: 7, keepWeekly: 4, keepMonthly: 6 },
          verifyAfterRun: true,
        },
        options,
      ),
    );
    expect(rsync).toMatchObject({
      HKS_FUNCTION: "rsync",
      HKS_KEEP_DAILY: "7",
      HKS_KEEP_WEEKLY: "4",
      HKS_KEEP_MONTHLY: "6",
      HKS_VERIFY: "true",
    });
    expect(rsync["HKS_COMPRESSION"]).toBeUndefined();
  });

  it("dumps databases with the password from a Secret, never in the manifest", () => {
    const database = {
      host: "shop-db.shop.svc",
      port: 5432,
      name: "shop",
      user: "backup",
      passwordSecretName: "shop-db",
      passwordSecretKey: "password",
    };
    const pg = backupJobSpec({ ...base, sourcePvcName: null, functionKind: "PG_DUMP", functionParams: { database } }, options);
    expect(envOf(pg)).toMatchObject({
      HKS_FUNCTION: "pg_dump",
      HKS_DB_HOST: "shop-db.shop.svc",
      HKS_DB_PORT: "5432",
      HKS_DB_NAME: "shop",
      HKS_DB_USER: "backup",
      PGPASSWORD: { secretKeyRef: { name: "shop-db", key: "password" } },
    });
    expect(pg.template.spec!.volumes!.map((v) => v.name)).toEqual(["destination"]);
    const my = backupJobSpec(
      {
        ...base,
        sourcePvcName: null,
        functionKind: "MYSQLDUMP",
        functionParams: { compression: "GZIP", database: { ...database, port: 3306 } },
      },
      options,
    );
    expect(envOf(my)).toMatchObject({
      HKS_FUNCTION: "mysqldump",
      HKS_COMPRESSION: "gzip",
      MYSQL_PWD: { secretKeyRef: { name: "shop-db", key: "password" } },
    });
  });

  it("runs a custom function's script from an env var, in its own image", () => {
    const script = 'cp -r "$HKS_SOURCE_DIR"/. "$HKS_OUTPUT_DIR"/; echo "$(whoami)"';
    const spec = backupJobSpec(
      { ...base, functionKind: "CUSTOM", functionParams: { image: "registry.example.com/team/dump:2", script } },
      options,
    );
    const container = spec.template.spec!.containers[0]!;
    expect(container.image).toBe("registry.example.com/team/dump:2");
    expect(container.command).toEqual(["/opt/hks/bin/hks-backup"]);
    expect(envOf(spec)["HKS_CUSTOM_SCRIPT"]).toBe(script);
  });

  it("restores and verifies with their own jobs", () => {
    const restore = restoreJobSpec(base, options, {
      snapshot: "20261126T020000Z.tar.zst",
      targetClaim: "shop-db-restore",
      overwrite: true,
    });
    expect(envOf(restore)).toMatchObject({
      HKS_MODE: "restore",
      HKS_SNAPSHOT: "20261126T020000Z.tar.zst",
      HKS_RESTORE_DIR: "/restore",
      HKS_RESTORE_OVERWRITE: "true",
      HKS_DEST_DIR: "/backup/shop/db",
    });
    expect(restore.template.spec!.volumes).toContainEqual({
      name: "restore-target",
      persistentVolumeClaim: { claimName: "shop-db-restore" },
    });
    expect(restore.template.metadata!.labels!["backup.hks.io/run-kind"]).toBe("restore");
    const verify = verifyJobSpec(base, options, "20261126T020000Z.tar.zst");
    expect(envOf(verify)).toMatchObject({ HKS_MODE: "verify", HKS_SNAPSHOT: "20261126T020000Z.tar.zst" });
  });
});

describe("a RESTIC backup", () => {
  const restic: BackupSpec = { ...base, format: "RESTIC" };
  const pod = (spec: ReturnType<typeof backupJobSpec>) => spec.template.spec!;

  it("backs up the claim's files into a repository opened with the workspace's key Secret, tagged with backup and run", () => {
    const job = backupJobSpec(restic, options);
    const env = envOf(job);
    expect(env).toMatchObject({ HKS_FORMAT: "restic", HKS_FUNCTION: "files", HKS_BACKUP_ID: restic.id, HKS_DEST_DIR: "/backup/shop/db" });
    expect(env["HKS_COMPRESSION"]).toBeUndefined();
    expect(env["HKS_RUN_ID"]).toEqual({ fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-name']" } });
    const keyFile = String(env["RESTIC_PASSWORD_FILE"]);
    const mount = pod(job).containers[0]!.volumeMounts!.find((m) => keyFile.startsWith(`${m.mountPath}/`));
    expect(mount?.readOnly).toBe(true);
    expect(pod(job).volumes!.find((v) => v.name === mount!.name)?.secret?.secretName).toBe("hks-repository-key");
  });

  it("hands a restore the snapshot's size when its run reported it, so a whole restore need not list it first", () => {
    const sized = restoreJobSpec(restic, options, {
      snapshot: "abc",
      targetClaim: "t",
      overwrite: false,
      size: { bytes: 1_234_567, files: 89 },
    });
    expect(envOf(sized)).toMatchObject({ HKS_SNAPSHOT_BYTES: "1234567", HKS_SNAPSHOT_FILES: "89" });
    const unknown = restoreJobSpec(restic, options, { snapshot: "abc", targetClaim: "t", overwrite: false, size: null });
    expect(envOf(unknown)["HKS_SNAPSHOT_BYTES"]).toBeUndefined();
  });

  it("gives restores and verifications the same key, and PLAIN backups none", () => {
    for (const job of [
      restoreJobSpec(restic, options, { snapshot: "abc", targetClaim: "t", overwrite: false }),
      verifyJobSpec(restic, options, "abc"),
    ]) {
      expect(envOf(job)).toMatchObject({ HKS_FORMAT: "restic", RESTIC_PASSWORD_FILE: expect.stringMatching(/password$/) });
    }
    const plain = backupJobSpec(base, options);
    expect(envOf(plain)["RESTIC_PASSWORD_FILE"]).toBeUndefined();
    expect(pod(plain).volumes!.some((v) => v.secret)).toBe(false);
  });

  it("does not retry a run the key or a damaged repository failed", () => {
    const values = backupJobSpec(restic, options).podFailurePolicy!.rules[0]!.onExitCodes!.values;
    expect(values).toEqual(expect.arrayContaining([77, 65]));
  });
});
