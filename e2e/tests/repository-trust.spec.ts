import { expect, test } from "@playwright/test";
import { expectNoAxeViolations } from "./a11y-helpers";
import { acmeId, createVolume, deleteBackupsNamed } from "./api";
import { statePath } from "./users";

test.use({ storageState: statePath("admin") });

test.afterAll(async ({ request }) => {
  await deleteBackupsNamed(request, "checked");
});

test("an admin sets a weekly repository check and reads the repository's figures on the Backup", async ({ page, request }, info) => {
  // A real restic run through the lab and three axe scans: about a minute on the shared 2-core machine.
  test.slow();
  await createVolume(request, "trust-vol-e2e", 100, { workspaceId: await acmeId(request) });

  await page.goto("/");
  await page.getByRole("link", { name: "Applications" }).click();
  await page.getByTestId("application-row").filter({ hasText: "shop" }).getByTestId("application-link").click();
  await page.getByRole("link", { name: "Backup", exact: true }).click();

  await page.getByRole("button", { name: "New backup" }).click();
  const form = page.getByTestId("backup-form-dialog");
  await form.getByLabel("Name").fill("checked");
  await form.getByLabel("Schedule (cron)", { exact: true }).fill("0 3 * * *");
  await form.getByLabel("Source claim").selectOption("shop-db-data");
  const volume = form.getByLabel("Destination volume");
  await volume.selectOption((await volume.locator("option", { hasText: "trust-vol-e2e" }).getAttribute("value"))!);
  await form.getByLabel("Folder in the volume").fill("shop/checked");

  const check = form.getByTestId("repository-check-fields");
  await expect(form.getByRole("group", { name: "Repository check" })).toBeVisible();
  // A schedule the server cannot read is refused next to its field, and nothing is created.
  await check.getByLabel("When to check (cron)").fill("every sunday");
  await form.getByRole("button", { name: "Create backup" }).click();
  await expect(check.getByText(/Check schedule:/)).toBeVisible();
  await check.getByRole("button", { name: "Weekly (Sunday 04:00)" }).click();
  await expect(check.getByLabel("When to check (cron)")).toHaveValue("0 4 * * 0");
  await expect(check.getByLabel("Data read back")).toHaveValue("10%");
  await expectNoAxeViolations(page, "the backup form with a repository check");
  await form.getByRole("button", { name: "Create backup" }).click();
  await expect(form).toBeHidden();

  await page.getByRole("button", { name: "Run now: checked" }).click();
  const runs = page.getByTestId("runs-panel");
  await expect(runs.getByTestId("run-row").first().getByTestId("run-status")).toHaveAttribute("data-status", "SUCCEEDED", {
    timeout: 60_000,
  });
  const figures = runs.getByTestId("repository-figures");
  await expect(figures).toContainText(/GiB of snapshots stored in [0-9.]+ [KMG]iB/);
  await expect(figures).toContainText("At 04:00, only on Sunday");
  await expect(figures).toContainText("reading back 10% of the data");
  await expect(figures).toContainText("the last 3 of these and any younger than 7 days are kept");
  await expectNoAxeViolations(page, "the runs panel with the repository's figures");

  // Below 720 px the figures wrap rather than overflow.
  await page.setViewportSize({ width: 600, height: 900 });
  await expect(figures).toBeVisible();
  const overflow = await figures.evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  await page.screenshot({ path: info.outputPath("repository-figures-narrow.png"), fullPage: true });
});
