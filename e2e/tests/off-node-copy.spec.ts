import { expect, test } from "@playwright/test";
import { expectNoAxeViolations } from "./a11y-helpers";
import { statePath } from "./users";
import { acmeId, createVolume, deleteBackupsNamed, graphql } from "./api";

test.use({ storageState: statePath("admin") });

test.afterAll(async ({ request }) => {
  await deleteBackupsNamed(request, "offsite");
});

test("an admin adds an off-node copy to a backup, sees each run copied, and restores from the copy", async ({ page, request }, info) => {
  // Three Jobs in the lab one after another (the run, its copy, the restore), each with a pod start.
  test.setTimeout(180_000);
  // Fixtures: a destination volume, and one asked for on another Proxmox node (as the Storage API allows).
  const acme = await acmeId(request);
  const primaryId = await createVolume(request, "copy-e2e-a", 100, { workspaceId: acme });
  const { createStorageVolume } = await graphql<{ createStorageVolume: { id: string } }>(
    request,
    `
      mutation ($input: CreateStorageVolumeInput!) {
        createStorageVolume(input: $input) {
          id
        }
      }
    `,
    { input: { workspaceId: acme, name: "copy-e2e-b", sizeGiB: 100, notOnNodeOfVolumeId: primaryId } },
  );
  await expect
    .poll(async () => {
      const { workspace } = await graphql<{ workspace: { storageVolume: { status: string } } }>(
        request,
        `
          query ($w: ID!, $id: ID!) {
            workspace(id: $w) {
              storageVolume(id: $id) {
                status
              }
            }
          }
        `,
        { w: acme, id: createStorageVolume.id },
      );
      return workspace.storageVolume.status;
    })
    .toBe("AVAILABLE");

  await page.setViewportSize({ width: 640, height: 900 });
  await page.goto("/");
  await page.getByRole("link", { name: "Applications" }).click();
  await page.getByTestId("application-row").filter({ hasText: "shop" }).getByTestId("application-link").click();
  await page.getByRole("link", { name: "Backup", exact: true }).click();

  await page.getByRole("button", { name: "New backup" }).click();
  const form = page.getByTestId("backup-form-dialog");
  await form.getByLabel("Name").fill("offsite");
  await form.getByLabel("Schedule (cron)").fill("0 4 * * *");
  await form.getByLabel("Source claim").selectOption("shop-db-data");
  const volume = form.getByLabel("Destination volume");
  await volume.selectOption((await volume.locator("option", { hasText: "copy-e2e-a" }).getAttribute("value"))!);
  await form.getByLabel("Folder in the volume").fill("shop/offsite");

  const copy = form.getByTestId("off-node-copy");
  const copyVolume = copy.getByLabel("Copy volume");
  // The destination itself is offered, disabled, with the reason; the volume on the other node is offered.
  await expect(copyVolume.locator("option", { hasText: "copy-e2e-a" })).toBeDisabled();
  await expect(copyVolume.locator("option", { hasText: "copy-e2e-a" })).toContainText("it is the destination");
  await expect(copy.getByText(/Not offered: .*copy-e2e-a \(it is the destination\)/)).toBeVisible();
  const other = copyVolume.locator("option", { hasText: "copy-e2e-b" });
  await expect(other).toBeEnabled();
  await expect(other).toContainText(/node pve\d/);
  await copyVolume.focus();
  await copyVolume.selectOption((await other.getAttribute("value"))!);
  await expect(copy.getByLabel("Folder in the copy volume")).toHaveValue("shop/offsite");
  await expectNoAxeViolations(page, "backup form with an off-node copy");
  await page.screenshot({ path: info.outputPath("off-node-copy-form.png"), fullPage: true });
  await form.getByRole("button", { name: "Create backup" }).click();
  await expect(form).toBeHidden();

  await page.getByRole("button", { name: "Run now: offsite" }).click();
  const runs = page.getByTestId("runs-panel");
  const run = runs.getByTestId("run-row").first();
  await expect(run.getByTestId("run-status")).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 60_000 });
  await expect(run.getByTestId("run-copy").locator("[data-status]")).toHaveAttribute("data-status", "COPIED", { timeout: 60_000 });
  await expect(run.getByTestId("run-copy")).toContainText("Copied");

  await run.getByTestId("run-restore").click();
  const restore = page.getByTestId("restore-run-dialog");
  await restore.getByRole("radio", { name: "The off-node copy" }).check();
  await restore.getByLabel("A new claim").check();
  await restore.getByLabel("New claim name").fill("shop-db-from-copy");
  await restore.getByLabel("Size (GiB)").fill("2");
  await expectNoAxeViolations(page, "restore dialog with the copy as source");
  await restore.getByRole("button", { name: "Restore" }).click();
  await expect(restore).toBeHidden();
  const restoreRun = runs.getByTestId("run-row").filter({ hasText: "from the off-node copy" }).first();
  await expect(restoreRun.getByTestId("run-status")).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 60_000 });
  await page.screenshot({ path: info.outputPath("off-node-copy-restored.png"), fullPage: true });
});
