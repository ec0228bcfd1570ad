import { expect, test, type Page } from "@playwright/test";
import { announcer } from "./a11y-helpers";
import { acmeId, createVolume, deleteBackupsNamed, deleteVolume, graphql } from "./api";
import { statePath } from "./users";

// The main stories with the keyboard alone, checking where focus is after each step and what the
// live regions said. Other specs share the server: names here are this spec's own, and it cleans up.
const stamp = Date.now().toString(36).slice(-5);
const VOLUME = `kb-vol-${stamp}`;
const BACKUP_VOLUME = `kb-backup-${stamp}`;
const BACKUP = `kb-nightly-${stamp}`;
const RESTORED = `kb-restored-${stamp}`;

test.use({ storageState: statePath("admin") });

/** Moves focus to a control the way Tab would land on it, then presses Enter. */
async function activate(page: Page, name: string | RegExp) {
  const control = page.getByRole("button", { name, exact: typeof name === "string" });
  await control.focus();
  await page.keyboard.press("Enter");
  return control;
}

const storage = async (page: Page) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Storage", level: 1 })).toBeVisible();
  await expect(page.getByTestId("summary-cost")).toContainText("€");
};

test("creates and expands a volume with the keyboard, focus returning to each trigger", async ({ page, request }) => {
  await storage(page);
  try {
    const newVolume = await activate(page, "New volume");
    const create = page.getByRole("dialog", { name: "New volume" });
    // The dialog opens on its first field, not on ×.
    await expect(create.getByLabel("Name")).toBeFocused();
    await page.keyboard.type(VOLUME);
    await page.keyboard.press("Tab");
    await expect(create.getByLabel("Size", { exact: true })).toBeFocused();
    await page.keyboard.type("3");
    await page.keyboard.press("Enter");
    await expect(create).toBeHidden();
    await expect(newVolume).toBeFocused();
    const row = page.getByTestId("volume-row").filter({ hasText: VOLUME });
    await expect(row).toContainText(/available/i);
    // The status change is said, not only shown.
    await expect(announcer(page)).toContainText(new RegExp(`Volume ${VOLUME} is (available|provisioning)|volumes changed status`));

    // Escape and Cancel give focus back to the trigger too.
    const expandButton = await activate(page, `Expand ${VOLUME}`);
    const expand = page.getByRole("dialog", { name: `Expand ${VOLUME}` });
    await expect(expand.getByLabel("New size")).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(expand).toBeHidden();
    await expect(expandButton).toBeFocused();

    const deleteButton = await activate(page, `Delete ${VOLUME}`);
    const remove = page.getByRole("dialog", { name: `Delete ${VOLUME}` });
    await expect(remove.getByRole("textbox")).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(remove.getByRole("button", { name: "Cancel" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(remove).toBeHidden();
    await expect(deleteButton).toBeFocused();

    await activate(page, `Expand ${VOLUME}`);
    await expect(expand.getByLabel("New size")).toBeFocused();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("4");
    await page.keyboard.press("Enter");
    await expect(expand).toBeHidden();
    // While the volume expands its Expand button is unavailable, yet it keeps focus.
    await expect(expandButton).toBeFocused();
    await expect(row.getByTestId("volume-size")).toHaveText("4 GiB");
    await expect(expandButton).toBeFocused();
  } finally {
    const workspaceId = await acmeId(request);
    const { workspace } = await graphql<{ workspace: { storageVolumes: Array<{ id: string; name: string }> } }>(
      request,
      `
        query ($w: ID!) {
          workspace(id: $w) {
            storageVolumes {
              id
              name
            }
          }
        }
      `,
      { w: workspaceId },
    );
    const made = workspace.storageVolumes.find((v) => v.name === VOLUME);
    if (made) await deleteVolume(request, made.id);
  }
});

test("creates, runs and restores a backup with the keyboard, told of each run", async ({ page, request }) => {
  test.setTimeout(150_000);
  // A backup binds its destination to a claim in shop's namespace: this volume stays, like the other specs' ones.
  await createVolume(request, BACKUP_VOLUME, 5);
  try {
    await storage(page);
    await page.getByRole("link", { name: "Applications" }).click();
    await page.getByTestId("application-row").filter({ hasText: "shop" }).getByTestId("application-link").click();
    await page.getByRole("link", { name: "Backup", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Backups" })).toBeVisible();

    const newBackup = await activate(page, "New backup");
    const form = page.getByTestId("backup-form-dialog");
    await expect(form.getByLabel("Name")).toBeFocused();

    // Submitting without a name: focus goes to the first invalid field and the errors are said.
    await page.keyboard.press("Enter");
    await expect(form.getByLabel("Name")).toBeFocused();
    await expect(form.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
    await expect(announcer(page, "assertive")).toContainText(/needs? attention\. Name:/);

    await page.keyboard.type(BACKUP);
    const volume = form.getByLabel("Destination volume");
    await volume.selectOption((await volume.locator("option", { hasText: BACKUP_VOLUME }).getAttribute("value"))!);
    await form.getByLabel("Folder in the volume").fill("/absolute");
    await form.getByLabel("Folder in the volume").press("Enter");
    // The server refuses the absolute folder: focus on that field, the error said.
    await expect(form.getByLabel("Folder in the volume")).toBeFocused();
    await expect(announcer(page, "assertive")).toContainText("Folder in the volume");
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type(`kb/${stamp}`);
    await page.keyboard.press("Enter");
    await expect(form).toBeHidden();
    await expect(newBackup).toBeFocused();

    // Run now keeps focus while it is busy; the run's progress is said.
    const runNow = await activate(page, `Run now: ${BACKUP}`);
    await expect(runNow).toBeFocused();
    const run = page.getByTestId("runs-panel").getByTestId("run-row").first();
    await expect(run.getByTestId("run-status")).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 30_000 });
    await expect(announcer(page)).toContainText("Backup run: Succeeded.");
    await expect(runNow).toBeFocused();

    // Suspend turns into Resume on the same button, which keeps focus.
    await activate(page, `Suspend ${BACKUP}`);
    const resume = page.getByRole("button", { name: `Resume ${BACKUP}` });
    await expect(resume).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("button", { name: `Suspend ${BACKUP}` })).toBeFocused();

    // Logs, then restore into a new claim; each dialog gives focus back to its row's button.
    const logs = run.getByTestId("run-logs");
    await logs.focus();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("run-logs-dialog")).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(logs).toBeFocused();

    // Found by its name: the restore run will come first in the list.
    const restoreName = (await run.getByTestId("run-restore").getAttribute("aria-label"))!;
    const restoreButton = page.getByRole("button", { name: restoreName, exact: true });
    await restoreButton.focus();
    await page.keyboard.press("Enter");
    const restore = page.getByTestId("restore-run-dialog");
    await expect(restore.locator(":focus")).toHaveCount(1);
    await restore.getByLabel("A new claim").check();
    await restore.getByLabel("New claim name").fill(RESTORED);
    await restore.getByLabel("Size (GiB)").fill("2");
    await restore.getByLabel("Size (GiB)").press("Enter");
    await expect(restore).toBeHidden();
    await expect(restoreButton).toBeFocused();
    await expect(announcer(page)).toContainText("Restore run: Succeeded.", { timeout: 30_000 });

    // Verify keeps focus while the snapshot is read back; its outcome is said.
    const verify = page.getByTestId("runs-panel").getByTestId("run-verify").first();
    await verify.focus();
    await page.keyboard.press("Enter");
    await expect(verify).toBeFocused();
    await expect(announcer(page)).toContainText(/Verify run: (Succeeded|Failed)/, { timeout: 30_000 });
    await expect(verify).toBeFocused();
  } finally {
    await deleteBackupsNamed(request, BACKUP);
  }
});

test("answers the assistant with the keyboard and closes it with Escape", async ({ page }) => {
  await storage(page);
  const button = page.getByTestId("assistant-button");
  await button.focus();
  await page.keyboard.press("Enter");
  const panel = page.getByRole("complementary", { name: "Assistant" });
  await expect(panel).toBeFocused();
  // The conversation scrolls and so takes focus.
  const conversation = panel.getByRole("list", { name: "Conversation" });
  await conversation.focus();
  await expect(conversation).toBeFocused();

  const reply = panel.getByRole("textbox", { name: "Reply to the assistant" });
  await reply.focus();
  await page.keyboard.type("thanks");
  await page.keyboard.press("Enter");
  await expect(reply).toHaveValue("");
  await expect(reply).toBeFocused();

  await page.keyboard.press("Escape");
  await expect(panel).toHaveCount(0);
  await expect(button).toBeFocused();
});
