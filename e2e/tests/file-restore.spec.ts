import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { expectNoAxeViolations } from "./a11y-helpers";
import { acmeId, createVolume, deleteBackupsNamed, graphql, shopId } from "./api";
import { inClaim } from "./lab-claims";
import { statePath } from "./users";

test.use({ storageState: statePath("admin") });

const BACKUP = "files-e2e";

test("an admin gets one deleted file back from a snapshot, and downloads another", async ({ page, request }, info) => {
  test.setTimeout(180_000);
  // Fixtures through the API: a destination volume and a restic Backup of shop's claim.
  const acme = await acmeId(request);
  const shop = await shopId(request, acme);
  const volumeId = await createVolume(request, "files-vol-e2e", 100, { workspaceId: acme });
  await deleteBackupsNamed(request, BACKUP);
  await graphql(
    request,
    `
      mutation ($input: CreateBackupInput!) {
        createBackup(input: $input) {
          id
        }
      }
    `,
    {
      input: {
        applicationId: shop,
        name: BACKUP,
        schedule: "0 5 * * *",
        source: { pvcName: "shop-db-data" },
        destination: { volumeId, path: "shop/files-e2e" },
        function: { kind: "TAR" },
        retention: { keepLast: 3 },
      },
    },
  );

  await page.goto(`/w/${acme}/applications/${shop}/backups`);
  await page.getByTestId("backup-row").filter({ hasText: BACKUP }).getByRole("button", { name: BACKUP, exact: true }).click();
  await page.getByRole("button", { name: `Run now: ${BACKUP}` }).click();
  const runs = page.getByTestId("runs-panel");
  await expect(runs.getByRole("heading")).toContainText(BACKUP);
  const backupRun = runs.getByTestId("run-row").first();
  await expect(backupRun.getByTestId("run-status")).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 60_000 });

  // A bad day: the application's configuration file is deleted from the claim.
  expect(inClaim("shop", "shop-db-data", ["rm", "/data/postgresql.conf"]).ok).toBe(true);
  expect(inClaim("shop", "shop-db-data", ["cat", "/data/postgresql.conf"]).ok).toBe(false);

  await backupRun.getByTestId("run-browse").click();
  const browser = page.getByTestId("snapshot-browser");
  const entries = browser.getByTestId("snapshot-entry");
  await expect(entries.filter({ hasText: "postgresql.conf" })).toBeVisible({ timeout: 60_000 });
  await expect(entries.filter({ hasText: "base/" })).toContainText("Folder");
  // Into a folder and back out by the breadcrumbs.
  await browser.getByRole("button", { name: "Open folder /base" }).click();
  await expect(browser.getByRole("navigation", { name: "Folder" })).toContainText("base");
  await expect(entries.filter({ hasText: "16384/" })).toBeVisible();
  await browser.getByRole("button", { name: "Snapshot root" }).click();
  // Search below the root finds the file by part of its name.
  await browser.getByLabel("Search names below this folder").fill("postgres");
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText("postgresql.conf");
  await expect(entries.first()).toContainText("45 B");
  await page.screenshot({ path: info.outputPath("snapshot-browser.png"), fullPage: true });

  await browser.getByLabel("Select /postgresql.conf").check();
  await expect(browser.getByLabel("To their place in the claim")).toBeChecked();
  await browser.getByTestId("snapshot-restore-submit").click();
  await expect(browser).toBeHidden();
  const restoreRun = runs
    .getByTestId("run-row")
    .filter({ hasText: /restore/i })
    .first();
  await expect(restoreRun).toContainText("/postgresql.conf");
  await expect(restoreRun.getByTestId("run-status")).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 60_000 });

  // Back, as the application reads it.
  const back = inClaim("shop", "shop-db-data", ["cat", "/data/postgresql.conf"]);
  expect(back.ok).toBe(true);
  expect(back.log).toContain("shared_buffers = 128MB");

  // One file, downloaded through the server; the dialog passes axe, and fits a narrow window.
  await runs
    .getByTestId("run-row")
    .filter({ has: page.getByTestId("run-browse") })
    .first()
    .getByTestId("run-browse")
    .click();
  await expect(entries.filter({ hasText: "PG_VERSION" })).toBeVisible();
  await expectNoAxeViolations(page, "snapshot browser");
  const download = page.waitForEvent("download");
  await browser.getByRole("button", { name: "Download /PG_VERSION" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("PG_VERSION");
  expect(await readFile((await file.path())!, "utf8")).toBe("15\n");
  await page.setViewportSize({ width: 600, height: 800 });
  await expect(browser.getByRole("button", { name: "Download /PG_VERSION" })).toBeInViewport();
  const width = await browser.evaluate((d) => ({ scroll: d.scrollWidth, client: d.clientWidth }));
  expect(width.scroll).toBeLessThanOrEqual(width.client);
  await page.screenshot({ path: info.outputPath("snapshot-browser-narrow.png"), fullPage: true });
  await browser.getByRole("button", { name: "Close" }).first().click();
  await expect(browser).toBeHidden();
});
