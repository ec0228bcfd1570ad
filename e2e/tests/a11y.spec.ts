import { expect, test, type Page } from "@playwright/test";
import { expectNoAxeViolations } from "./a11y-helpers";
import { acmeId, createVolume, deleteBackupsNamed, deleteVolume, graphql, shopId } from "./api";
import { statePath } from "./users";

// axe-core (WCAG 2.2 AA) on every page and dialog state, as the admin, a member and globex's admin.
// Other specs share the server: this one uses its own names and removes what it made.
const VOLUME = "a11y-vol";
const BACKUP = "a11y-nightly";
// A backup binds its destination to a claim in shop's namespace, so this one stays (like the other specs' volumes).
const BACKUP_VOLUME = "a11y-backup-vol";

const storage = async (page: Page) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Storage", level: 1 })).toBeVisible();
  await expect(page.getByTestId("summary-cost")).toContainText("€");
};

const backupTab = async (page: Page) => {
  await page.getByRole("link", { name: "Applications" }).click();
  await page.getByTestId("application-row").filter({ hasText: "shop" }).getByTestId("application-link").click();
  await page.getByRole("link", { name: "Backup", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Backups" })).toBeVisible();
};

/** Opens the assistant panel, checks it, and closes it again. */
const assistantPanel = async (page: Page, who: string) => {
  await page.getByTestId("assistant-button").click();
  const panel = page.getByRole("complementary", { name: "Assistant" });
  await expect(panel.getByRole("list", { name: "Conversation" })).toBeVisible();
  await expect(panel.getByText("Loading the conversation")).toHaveCount(0);
  await expectNoAxeViolations(page, `the assistant panel (${who})`);
  await page.keyboard.press("Escape");
  await expect(panel).toHaveCount(0);
};

test("the sign-in page has no WCAG 2.2 AA violations", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByLabel("Email")).toBeVisible();
  await expectNoAxeViolations(page, "sign-in");
  await page.getByLabel("Email").fill("admin@acme.test");
  await page.getByLabel("Password").fill("wrong");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("not correct");
  await expectNoAxeViolations(page, "sign-in with an error");
});

test.describe("a Workspace Admin of a Dedicated Plan workspace", () => {
  test.use({ storageState: statePath("admin") });

  test("meets WCAG 2.2 AA on Storage and each volume dialog", async ({ page, request }) => {
    const volumeId = await createVolume(request, VOLUME, 5);
    try {
      await storage(page);
      await expect(page.getByTestId("volume-row").filter({ hasText: VOLUME })).toContainText(/available/i);
      await expectNoAxeViolations(page, "Storage (admin)");

      await page.getByRole("button", { name: "New volume" }).click();
      const create = page.getByRole("dialog", { name: "New volume" });
      await expect(create.getByLabel("Name")).toBeVisible();
      await expectNoAxeViolations(page, "the New volume dialog");
      await create.getByLabel("Name").fill("Not_Valid");
      await create.getByLabel("Size", { exact: true }).fill("99999");
      await expect(create.getByText(/lowercase/i).first()).toBeVisible();
      await expectNoAxeViolations(page, "the New volume dialog with errors");
      await create.getByRole("button", { name: "Cancel" }).click();

      await page.getByRole("button", { name: `Expand ${VOLUME}` }).click();
      await expect(page.getByRole("dialog", { name: `Expand ${VOLUME}` }).getByLabel("New size")).toBeVisible();
      await expectNoAxeViolations(page, "the Expand dialog");
      await page.keyboard.press("Escape");

      await page.getByRole("button", { name: `Delete ${VOLUME}` }).click();
      await expect(page.getByRole("dialog", { name: `Delete ${VOLUME}` })).toBeVisible();
      await expectNoAxeViolations(page, "the Delete volume dialog");
      await page.keyboard.press("Escape");

      await page.getByRole("button", { name: `Usage of ${VOLUME}` }).click();
      await expect(page.getByRole("dialog", { name: `Usage of ${VOLUME}` })).toBeVisible();
      await expectNoAxeViolations(page, "the Usage dialog");
      await page.keyboard.press("Escape");

      await page.getByRole("button", { name: /quota for shop/ }).click();
      await expect(page.getByRole("dialog", { name: /quota for shop/ })).toBeVisible();
      await expectNoAxeViolations(page, "the quota dialog");
      await page.keyboard.press("Escape");

      await assistantPanel(page, "admin");
    } finally {
      await deleteVolume(request, volumeId);
    }
  });

  test("meets WCAG 2.2 AA on Applications, the Backup tab, its runs and each backup dialog", async ({ page, request }) => {
    test.setTimeout(120_000);
    const volumeId = await createVolume(request, BACKUP_VOLUME, 5);
    try {
      const workspaceId = await acmeId(request);
      const shop = await shopId(request, workspaceId);

      await storage(page);
      await page.getByRole("link", { name: "Applications" }).click();
      await expect(page.getByTestId("application-row").filter({ hasText: "shop" })).toBeVisible();
      await expectNoAxeViolations(page, "Applications (admin)");
      await backupTab(page);
      await expectNoAxeViolations(page, "the Backup tab without backups");

      await page.getByRole("button", { name: "New backup" }).click();
      const form = page.getByTestId("backup-form-dialog");
      await expect(form.getByLabel("Name")).toBeVisible();
      await expectNoAxeViolations(page, "the empty backup form");
      await form.getByRole("button", { name: "Create backup" }).click();
      await expect(form.locator("[aria-invalid=true]").first()).toBeVisible();
      await expectNoAxeViolations(page, "the backup form with errors");
      await page.keyboard.press("Escape");
      await expect(form).toBeHidden();

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
            name: BACKUP,
            schedule: "0 2 * * *",
            source: { pvcName: "shop-db-data" },
            destination: { volumeId, path: "a11y" },
            function: { kind: "TAR" },
          },
        },
      );
      await graphql(
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
      // Made behind the page's back: read the tab again.
      await page.reload();
      await expect(page.getByTestId("backup-row").filter({ hasText: BACKUP })).toBeVisible();
      const run = page.getByTestId("runs-panel").getByTestId("run-row").first();
      await expect(run.getByTestId("run-status")).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 30_000 });
      await expectNoAxeViolations(page, "the Backup tab with a backup and its runs");

      await run.getByTestId("run-logs").click();
      await expect(page.getByTestId("run-log-output")).not.toBeEmpty();
      await expectNoAxeViolations(page, "the run logs dialog");
      await page.keyboard.press("Escape");

      await run.getByTestId("run-restore").click();
      const restore = page.getByTestId("restore-run-dialog");
      await expect(restore).toBeVisible();
      await expectNoAxeViolations(page, "the restore dialog");
      await restore.getByLabel("A new claim").check();
      await expectNoAxeViolations(page, "the restore dialog to a new claim");
      await page.keyboard.press("Escape");

      await page.getByRole("button", { name: `Edit ${BACKUP}` }).click();
      await expect(form).toBeVisible();
      await expectNoAxeViolations(page, "the backup form editing");
      await page.keyboard.press("Escape");

      await page.getByRole("button", { name: `Delete ${BACKUP}` }).click();
      await expect(page.getByTestId("delete-backup-dialog")).toBeVisible();
      await expectNoAxeViolations(page, "the Delete backup dialog");
      await page.keyboard.press("Escape");
    } finally {
      await deleteBackupsNamed(request, BACKUP);
    }
  });
});

test.describe("a member of the workspace", () => {
  test.use({ storageState: statePath("member") });

  test("meets WCAG 2.2 AA on the read-only pages", async ({ page }) => {
    await storage(page);
    await expect(page.getByTestId("read-only-note")).toBeVisible();
    await expectNoAxeViolations(page, "Storage (member)");
    await page.getByRole("link", { name: "Applications" }).click();
    await expect(page.getByTestId("application-row").first()).toBeVisible();
    await expectNoAxeViolations(page, "Applications (member)");
    await backupTab(page);
    await expectNoAxeViolations(page, "the Backup tab (member)");
    await assistantPanel(page, "member");
  });
});

test.describe("the admin of a workspace without a Dedicated Plan", () => {
  test.use({ storageState: statePath("globex") });

  test("meets WCAG 2.2 AA on Storage, Applications and the Backup tab", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByTestId("provisioning-blocked")).toBeVisible();
    await expect(page.getByTestId("summary-cost")).toContainText("€");
    await expectNoAxeViolations(page, "Storage (globex admin)");
    await page.getByRole("link", { name: "Applications" }).click();
    const app = page.getByTestId("application-row").first();
    await expect(app).toBeVisible();
    await expectNoAxeViolations(page, "Applications (globex admin)");
    await app.getByTestId("application-link").click();
    await page.getByRole("link", { name: "Backup", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Backups" })).toBeVisible();
    await expectNoAxeViolations(page, "the Backup tab (globex admin)");
    await assistantPanel(page, "globex admin");
  });
});
