import { describe, expect, it } from "vitest";
import {
  defaultBackupDraft,
  draftFromBackup,
  toCreateBackupInput,
  toUpdateBackupInput,
  validateBackupDraft,
  validateBackupName,
  type BackupDraft,
} from "./backup-form";

const base = (): BackupDraft => ({
  ...defaultBackupDraft({ timeZone: "Europe/Berlin" }),
  name: "nightly",
  sourcePvcName: "shop-db-data",
  volumeId: "vol-1",
  path: "shop/db/",
});

describe("defaultBackupDraft", () => {
  it("is daily at 02:00 in the given zone, tar + zstd, keeping the last 7", () => {
    const d = defaultBackupDraft({ timeZone: "Europe/Berlin" });
    expect(d.schedule).toBe("0 2 * * *");
    expect(d.timeZone).toBe("Europe/Berlin");
    expect(d.kind).toBe("TAR");
    expect(d.compression).toBe("ZSTD");
    expect(d.keepLast).toBe("7");
    expect(d.concurrencyPolicy).toBe("FORBID");
  });
});

describe("validateBackupName", () => {
  it("accepts short DNS labels and refuses the rest", () => {
    expect(validateBackupName("nightly-db")).toBeNull();
    expect(validateBackupName("")).toMatch(/name/);
    expect(validateBackupName("Nightly")).toMatch(/lowercase/);
    expect(validateBackupName("a".repeat(29))).toMatch(/at most 28/);
  });
});

describe("validateBackupDraft", () => {
  it("passes a complete tar draft", () => {
    expect(validateBackupDraft(base(), { checkName: true })).toEqual({});
  });
  it("keys errors by the server's field names", () => {
    const e = validateBackupDraft(
      { ...base(), name: "", sourcePvcName: "", volumeId: "", path: "/abs", keepLast: "0", keepDaily: "x" },
      { checkName: true },
    );
    expect(Object.keys(e).sort()).toEqual(
      ["destination.path", "destination.volumeId", "name", "retention.keepDaily", "retention.keepLast", "source.pvcName"].sort(),
    );
  });
  it("does not need a claim for database functions but needs the database", () => {
    const e = validateBackupDraft({ ...base(), kind: "PG_DUMP", sourcePvcName: "", dbPort: "99999" }, { checkName: true });
    expect(e["source.pvcName"]).toBeUndefined();
    expect(e["function.database.host"]).toBeDefined();
    expect(e["function.database.port"]).toMatch(/1–65535/);
  });
  it("needs image and script for custom functions", () => {
    const e = validateBackupDraft({ ...base(), kind: "CUSTOM" }, { checkName: false });
    expect(e["function.image"]).toBeDefined();
    expect(e["function.script"]).toBeDefined();
  });
});

describe("form → input", () => {
  it("maps a tar draft to CreateBackupInput", () => {
    expect(toCreateBackupInput({ ...base(), format: "PLAIN", schedule: " 0  2 * * * " }, "app-1")).toEqual({
      applicationId: "app-1",
      name: "nightly",
      schedule: "0 2 * * *",
      timeZone: "Europe/Berlin",
      source: { pvcName: "shop-db-data" },
      destination: { volumeId: "vol-1", path: "shop/db" },
      format: "PLAIN",
      function: { kind: "TAR", compression: "ZSTD", database: null, image: null, script: null },
      retention: { keepLast: 7, keepDaily: null, keepWeekly: null, keepMonthly: null },
      concurrencyPolicy: "FORBID",
      verifyAfterRun: false,
      check: { schedule: null, readDataSubset: null },
    });
  });
  it("stores new backups as a restic repository, which compresses by itself", () => {
    const input = toCreateBackupInput(base(), "app-1");
    expect(input.format).toBe("RESTIC");
    expect(input.function.compression).toBeNull();
  });
  it("drops the claim and sends the database for mysqldump", () => {
    const input = toCreateBackupInput(
      {
        ...base(),
        format: "PLAIN",
        kind: "MYSQLDUMP",
        compression: "GZIP",
        dbHost: "db.shop.svc",
        dbPort: "3306",
        dbName: "shop",
        dbUser: "backup",
        dbPasswordSecretName: "shop-db",
        dbPasswordSecretKey: "password",
        keepLast: "",
        keepWeekly: "4",
      },
      "app-1",
    );
    expect(input.source).toEqual({ pvcName: null });
    expect(input.function).toEqual({
      kind: "MYSQLDUMP",
      compression: "GZIP",
      database: {
        host: "db.shop.svc",
        port: 3306,
        name: "shop",
        user: "backup",
        passwordSecretName: "shop-db",
        passwordSecretKey: "password",
      },
      image: null,
      script: null,
    });
    expect(input.retention).toEqual({ keepLast: null, keepDaily: null, keepWeekly: 4, keepMonthly: null });
  });
  it("sends no compression for pg_dump and image + script for custom", () => {
    expect(toCreateBackupInput({ ...base(), kind: "PG_DUMP" }, "a").function.compression).toBeNull();
    const custom = toUpdateBackupInput({ ...base(), kind: "CUSTOM", image: "alpine:3.20", script: "tar c ." }, "b-1");
    expect(custom.id).toBe("b-1");
    expect("name" in custom).toBe(false);
    expect(custom.function).toMatchObject({ kind: "CUSTOM", image: "alpine:3.20", script: "tar c .", compression: null });
  });
  it("round-trips a backup through the draft", () => {
    const draft = draftFromBackup({
      name: "n",
      schedule: "0 3 * * 0",
      timeZone: "UTC",
      concurrencyPolicy: "REPLACE",
      verifyAfterRun: true,
      format: "PLAIN",
      source: { pvcName: null },
      destination: { volumeId: "v", path: "p" },
      function: {
        kind: "PG_DUMP",
        database: { host: "h", port: 5432, name: "d", user: "u", passwordSecretName: "s", passwordSecretKey: "k" },
      },
      retention: { keepLast: null, keepDaily: 7 },
    });
    expect(draft).toMatchObject({
      format: "PLAIN",
      dbPort: "5432",
      keepLast: "",
      keepDaily: "7",
      concurrencyPolicy: "REPLACE",
      verifyAfterRun: true,
    });
    expect(toUpdateBackupInput(draft, "x").retention).toEqual({ keepLast: null, keepDaily: 7, keepWeekly: null, keepMonthly: null });
  });
});
