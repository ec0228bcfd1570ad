import { expect, test } from "@playwright/test";
import { statePath } from "./users";
import { acmeId, createVolume, deleteVolume, graphql, shopId } from "./api";
import { deleteClaim } from "./lab-claims";

const RESTORED = "points-restored-e2e";

test.use({ storageState: statePath("admin") });

test("an admin deletes a backup keeping its restore points, restores one and sees its progress on it, and rescans the volume", async ({
  page,
  request,
}, info) => {
  // Two restic Jobs run in the lab (the backup fixture and the rescan), each a few seconds on a shared machine.
  test.setTimeout(120_000);
  // Fixture: a backup of shop with one successful run, made through the API.
  const acme = await acmeId(request);
  const shop = await shopId(request, acme);
  const volumeId = await createVolume(request, "points-vol-e2e", 100, { workspaceId: acme });
  const { createBackup } = await graphql<{ createBackup: { id: string } }>(
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
        name: "points",
        schedule: "0 4 * * *",
        source: { pvcName: "shop-db-data" },
        destination: { volumeId, path: "shop/points" },
        function: { kind: "TAR" },
      },
    },
  );
  const { runBackupNow } = await graphql<{ runBackupNow: { id: string } }>(
    request,
    `
      mutation ($id: ID!) {
        runBackupNow(id: $id) {
          id
        }
      }
    `,
    { id: createBackup.id },
  );
  await expect
    .poll(
      async () =>
        (
          await graphql<{ backupRun: { status: string } }>(
            request,
            `
              query ($id: ID!) {
                backupRun(id: $id) {
                  status
                }
              }
            `,
            { id: runBackupNow.id },
          )
        ).backupRun.status,
      { timeout: 45_000 },
    )
    .toBe("SUCCEEDED");

  try {
    await page.goto(`/w/${acme}/applications/${shop}/backups`);
    const section = page.getByTestId("restore-points");
    await expect(section.getByRole("heading", { name: "Restore points" })).toBeVisible();
    const row = section.getByTestId("restore-point-row").filter({ hasText: "points" }).first();
    await expect(row).toContainText("points-vol-e2e");
    await expect(row).not.toContainText("deleted");

    // Deleting asks about the restore points; keeping them is the default.
    await page.getByRole("button", { name: "Delete points", exact: true }).click();
    const dialog = page.getByTestId("delete-backup-dialog");
    await expect(dialog.getByTestId("restore-points-choice")).toContainText("It has 1 restore point");
    await expect(dialog.getByRole("radio", { name: /^Keep the 1 restore point/ })).toBeChecked();
    await expect(dialog.getByRole("radio", { name: /^Delete the 1 restore point too/ })).not.toBeChecked();
    await dialog.getByLabel("Type points to confirm").fill("points");
    await page.screenshot({ path: info.outputPath("delete-backup-choice.png"), fullPage: true });
    await dialog.getByRole("button", { name: "Delete backup" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("backup-row").filter({ hasText: "points" })).toHaveCount(0);

    // The deleted backup's restore point stays listed, and restores through the usual dialog.
    await expect(row).toContainText("deleted");
    await row.getByRole("button", { name: /^Restore points snapshot of/ }).click();
    const restore = page.getByTestId("restore-run-dialog");
    await expect(restore.getByRole("heading", { name: /^Restore [0-9a-f]{64}$/ })).toBeVisible();
    await restore.getByRole("radio", { name: "A new claim" }).check();
    await restore.getByLabel("New claim name").fill(RESTORED);
    await restore.getByLabel("Size (GiB)").fill("2");
    await restore.getByRole("button", { name: "Restore", exact: true }).click();
    await expect(restore).toBeHidden();
    // A deleted backup has no runs panel: the restore's progress shows on the point it was started from, until it ends.
    const status = row.getByTestId("restore-point-restore");
    await expect(status).toBeVisible();
    await expect(status.getByTestId("run-status")).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 45_000 });
    await expect(status).toContainText(`into shop/${RESTORED}`);

    // Rescan: progress, then the outcome in words.
    const rescan = section.getByTestId("rescan-control");
    // A volume select appears only when the workspace has several volumes (other specs may have left some).
    // (a picker that searches the server: the volume is found by name).
    const volumeSelect = rescan.getByLabel("Volume", { exact: true });
    if (await volumeSelect.count()) {
      await rescan.getByLabel("Search volumes").fill("points-vol-e2e");
      const option = volumeSelect.locator("option", { hasText: "points-vol-e2e" });
      await expect(option).toHaveCount(1);
      await volumeSelect.selectOption((await option.getAttribute("value"))!);
    }
    await rescan.getByRole("button", { name: /^Rescan/ }).click();
    await expect(rescan.getByTestId("rescan-status")).toContainText(/Rescanned 'points-vol-e2e': 1 snapshot\(s\)/, { timeout: 45_000 });
    await expect(rescan.getByTestId("rescan-status")).toContainText("no restore point was missing");
    await page.screenshot({ path: info.outputPath("restore-points-rescanned.png"), fullPage: true });
  } finally {
    deleteClaim("shop", RESTORED);
    await deleteVolume(request, volumeId).catch(() => undefined);
  }
});
