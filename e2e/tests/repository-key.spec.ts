import { expect, test } from "@playwright/test";
import { expectNoAxeViolations } from "./a11y-helpers";
import { statePath } from "./users";

test.describe("the workspace's repository key", () => {
  test.use({ storageState: statePath("admin") });
  test("an admin exports it only after typing the workspace's slug, and the export is listed", async ({ page }) => {
    await page.goto("/");
    const panel = page.getByTestId("repository-key-panel");
    await expect(panel.getByRole("heading", { name: "Repository key" })).toBeVisible();
    await panel.getByRole("button", { name: "Export key…" }).click();
    const dialog = page.getByRole("dialog", { name: "Export the repository key" });
    const show = dialog.getByRole("button", { name: "Show key" });
    await expect(show).toBeDisabled();
    await dialog.getByLabel(/to confirm/).fill("acm");
    await expect(show).toBeDisabled();
    await expectNoAxeViolations(page, "export repository key dialog");
    await dialog.getByLabel(/to confirm/).fill("acme");
    await show.click();
    const key = dialog.getByTestId("exported-key");
    await expect(key).toHaveValue(/^[A-Za-z0-9_-]{32,}$/);
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(dialog).toBeHidden();
    await expect(panel).toContainText("Exported by admin@acme.test");
  });
});

test.describe("a member", () => {
  test.use({ storageState: statePath("member") });
  test("does not see the repository key panel", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { name: /Storage/ }).first()).toBeVisible();
    await expect(page.getByTestId("repository-key-panel")).toHaveCount(0);
  });
});
