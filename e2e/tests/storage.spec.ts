import { expect, test, type Locator, type Page } from "@playwright/test";
import { statePath } from "./users";

/** A size as the dashboard prints it ("687 GiB", "1,383 GiB", "2 TiB"), in GiB. */
const gib = async (locator: Locator) => {
  const m = /([\d,.]+)\s*(GiB|TiB)/.exec(await locator.innerText());
  return m ? Number(m[1]!.replace(/,/g, "")) * (m[2] === "TiB" ? 1024 : 1) : NaN;
};
const euros = async (locator: Locator) => Number(/€\s*([\d,.]+)/.exec(await locator.innerText())?.[1]?.replace(/,/g, "") ?? NaN);

const row = (page: Page, name: string) => page.getByTestId("volume-row").filter({ hasText: name });

test.describe("Workspace Admin of a Dedicated Plan workspace", () => {
  test.use({ storageState: statePath("admin") });

  test("creates a 500 GiB volume, watches it go live, expands it and sets a quota on shop", async ({ page }, info) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { name: /Storage/ }).first()).toBeVisible();

    // Other tests may have provisioned storage already: the summary must grow by exactly this volume.
    await expect(page.getByTestId("summary-cost")).toContainText("€");
    const provisionedBefore = await gib(page.getByTestId("summary-provisioned"));
    const costBefore = await euros(page.getByTestId("summary-cost"));

    await page.getByRole("button", { name: "New volume" }).click();
    const dialog = page.getByRole("dialog", { name: "New volume" });
    await dialog.getByLabel("Name").fill("Backup_Vol");
    await expect(dialog.getByText(/lowercase/i).first()).toBeVisible();
    await dialog.getByLabel("Name").fill("backup-vol-1");
    await dialog.getByLabel("Size", { exact: true }).fill("500");
    await expect(dialog.getByTestId("create-volume-quote")).toContainText("40");
    await dialog.getByRole("button", { name: "Create" }).click();
    await expect(dialog).toBeHidden();

    const volume = row(page, "backup-vol-1");
    await expect(volume).toContainText("500 GiB");
    await expect(volume).toContainText(/available/i);
    await expect(volume).toContainText("hks-backup-vol-1");
    await expect(volume).toContainText("hks-acme-backup-vol-1");
    await expect.poll(() => gib(page.getByTestId("summary-provisioned"))).toBe(provisionedBefore + 500);
    await expect.poll(() => euros(page.getByTestId("summary-cost"))).toBeCloseTo(costBefore + 40, 2);
    await page.screenshot({ path: info.outputPath("volume-available.png"), fullPage: true });

    await page.getByRole("button", { name: "Expand backup-vol-1" }).click();
    const expand = page.getByRole("dialog", { name: "Expand backup-vol-1" });
    await expand.getByLabel("New size").fill("750");
    await expand.getByRole("button", { name: "Expand", exact: true }).click();
    await expect(expand).toBeHidden();
    await expect(volume).toContainText("750 GiB");
    await expect(volume).toContainText(/available/i);
    await expect.poll(() => euros(page.getByTestId("summary-cost"))).toBeCloseTo(costBefore + 60, 2);

    await page.getByRole("button", { name: "Set quota for shop" }).click();
    const quota = page.getByRole("dialog", { name: "Set quota for shop" });
    await quota.getByLabel("Storage limit (GiB)", { exact: true }).fill("100");
    await quota.getByLabel("Max PVCs", { exact: true }).fill("5");
    await quota.getByRole("button", { name: "Save quota" }).click();
    await expect(quota).toBeHidden();
    const shop = page.getByTestId("namespace-quota-row").filter({ hasText: "shop" });
    await expect(shop).toContainText("100");
    await expect(shop).toContainText("5");
    await expect(page.getByRole("button", { name: "Edit quota for shop" })).toBeVisible();
    await page.screenshot({ path: info.outputPath("expanded-and-quota.png"), fullPage: true });
  });

  test("is told why a second volume cannot exceed the plan ceiling", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("button", { name: "New volume" }).click();
    const dialog = page.getByRole("dialog", { name: "New volume" });
    await dialog.getByLabel("Name").fill("too-big");
    await dialog.getByLabel("Size", { exact: true }).fill("5000");
    await expect(dialog.getByText(/plan|ceiling|limit/i).first()).toBeVisible();
    await expect(dialog.getByRole("button", { name: "Create" })).toBeDisabled();
  });
});

test.describe("a member of the workspace", () => {
  test.use({ storageState: statePath("member") });

  test("sees the volumes read-only", async ({ page }, info) => {
    await page.goto("/");
    await expect(row(page, "backup-vol-1")).toContainText("750 GiB");
    await expect(page.getByTestId("read-only-note")).toContainText("Only Workspace Admins");
    await expect(page.getByRole("button", { name: "New volume" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Expand / })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /quota for/ })).toHaveCount(0);
    await page.screenshot({ path: info.outputPath("member-read-only.png"), fullPage: true });
  });
});

test.describe("a workspace without a Dedicated Plan", () => {
  test.use({ storageState: statePath("globex") });

  test("is told it needs a Dedicated Plan and cannot provision", async ({ page }, info) => {
    await page.goto("/");
    await expect(page.getByTestId("provisioning-blocked")).toContainText("Dedicated Plan");
    await expect(page.getByRole("button", { name: "New volume" })).toHaveCount(0);
    await page.screenshot({ path: info.outputPath("globex-plan-required.png"), fullPage: true });
  });
});
