import { expect, test } from "@playwright/test";
import { statePath } from "./users";
import { createVolume, graphql } from "./api";

test.use({ storageState: statePath("admin") });

test("an admin backs up shop's data, runs it now, sees its size, and restores it", async ({ page, request }, info) => {
  // Fixture: a destination volume, made through the API as the Storage section would.
  const { workspaces } = await graphql<{ workspaces: Array<{ id: string; slug: string }> }>(
    request,
    `
      {
        workspaces {
          id
          slug
        }
      }
    `,
  );
  const acme = workspaces.find((w) => w.slug === "acme")!.id;
  await createVolume(request, "backup-vol-e2e", 100, { workspaceId: acme });

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Storage" }).first()).toBeVisible();
  await page.getByRole("link", { name: "Applications" }).click();
  const shopRow = page.getByTestId("application-row").filter({ hasText: "shop" });
  await expect(shopRow.getByTestId("uncovered-claims-badge")).toBeVisible();
  await shopRow.getByTestId("application-link").click();
  await page.getByRole("link", { name: "Backup", exact: true }).click();

  await page.getByRole("button", { name: "New backup" }).click();
  const form = page.getByTestId("backup-form-dialog");
  await form.getByLabel("Name").fill("nightly");
  await form.getByLabel("Schedule (cron)").fill("0 2 * * *");
  await form.getByLabel("Time zone", { exact: true }).selectOption("Europe/Berlin");
  await expect(form.getByTestId("schedule-description")).toContainText("02:00");
  await form.getByLabel("Source claim").selectOption("shop-db-data");
  const volume = form.getByLabel("Destination volume");
  await volume.selectOption((await volume.locator("option", { hasText: "backup-vol-e2e" }).getAttribute("value"))!);
  // New backups are stored as an encrypted restic repository unless plain files are chosen.
  await expect(form.getByRole("radio", { name: /Repository \(restic/ })).toBeChecked();
  await form.getByLabel("Folder in the volume").fill("/shop/db");
  await form.getByRole("button", { name: "Create backup" }).click();
  // The server refuses an absolute folder, next to the field.
  await expect(form.getByText(/relative to the volume/)).toBeVisible();
  await form.getByLabel("Folder in the volume").fill("shop/db");
  await form.getByRole("button", { name: "Create backup" }).click();
  await expect(form).toBeHidden();

  const backupRow = page.getByTestId("backup-row").filter({ hasText: "nightly" });
  await expect(backupRow).toContainText("02:00");
  await expect(backupRow).toContainText("backup-vol-e2e");

  await page.getByRole("button", { name: "Run now: nightly" }).click();
  const runs = page.getByTestId("runs-panel");
  const backupRun = runs.getByTestId("run-row").first();
  await expect(backupRun.getByTestId("run-status")).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 30_000 });
  // On the lab every size is in lab units (a lab GiB is a real MiB), said once on every page.
  await expect(page.getByTestId("lab-note")).toHaveText(/1 GiB here is 1 MiB on this machine/);
  await expect(backupRun).toContainText(/1\.\d+ GiB/);
  await expect(backupRow).toContainText(/1\.\d+ GiB/);
  const runSize = gib(await backupRun.getByTestId("run-bytes").innerText());
  await page.screenshot({ path: info.outputPath("backup-succeeded.png"), fullPage: true });

  await backupRun.getByTestId("run-logs").click();
  await expect(page.getByTestId("run-log-output")).not.toBeEmpty();
  // The log reads sizes in the same unit as the run row: lab GiB, not the machine's MiB.
  await expect(page.getByTestId("run-log-output")).toContainText(/1\.\d+ GiB added after deduplication/);
  await page.getByTestId("run-logs-dialog").getByRole("button", { name: "Close" }).last().click();

  await backupRun.getByTestId("run-restore").click();
  const restore = page.getByTestId("restore-run-dialog");
  await restore.getByLabel("A new claim").check();
  await restore.getByLabel("New claim name").fill("shop-db-restored");
  await restore.getByLabel("Size (GiB)").fill("2");
  await restore.getByRole("button", { name: "Restore" }).click();
  await expect(restore).toBeHidden();
  const restoreRun = runs
    .getByTestId("run-row")
    .filter({ hasText: /restore/i })
    .first();
  await expect(restoreRun.getByTestId("run-status")).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 30_000 });
  await expect(restoreRun).toContainText("shop-db-restored");
  await page.screenshot({ path: info.outputPath("restore-succeeded.png"), fullPage: true });

  // The restored claim shows up among the application's claims.
  await page.getByRole("link", { name: "Overview", exact: true }).click();
  await expect(page.getByTestId("claim-row").filter({ hasText: "shop-db-restored" })).toBeVisible();

  // The Storage table's usage of the destination reads in the run's unit, and about the run's size.
  await page.getByRole("link", { name: "Storage", exact: true }).click();
  const usage = page.getByTestId("volume-row").filter({ hasText: "backup-vol-e2e" }).getByTestId("volume-usage");
  await expect(usage).toContainText(/[\d.]+ GiB of 100 GiB/);
  const used = gib(await usage.innerText());
  expect(Math.abs(used - runSize)).toBeLessThan(runSize * 0.1);
});

/** The first "<n> GiB" in a text, as a number. */
function gib(text: string): number {
  return Number(/([\d.]+) GiB/.exec(text)?.[1] ?? NaN);
}
