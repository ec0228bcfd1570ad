import { expect, test, type APIRequestContext } from "@playwright/test";
import { statePath } from "./users";
import { acmeId, createVolume, deleteBackupsNamed, graphql, shopId } from "./api";

// Issue 12: a new backup volume with two backups into it raises no false alarm, and the Backup dialog puts the space
// a backup will need in front of the admin, against the destination's free space, warning when it will not fit.
// Other specs share the server (and acme): everything here goes by this spec's own names.
const VOLUME = "space-need-vol";
const SMALL = "space-need-small";
const BACKUPS = ["space-a", "space-b", "space-new", "space-roomy", "space-move"];

async function runNow(request: APIRequestContext, backupId: string, expected = "SUCCEEDED"): Promise<void> {
  const { runBackupNow } = await graphql<{ runBackupNow: { id: string } }>(
    request,
    `
      mutation ($id: ID!) {
        runBackupNow(id: $id) {
          id
        }
      }
    `,
    { id: backupId },
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
      { timeout: 30_000 },
    )
    .toBe(expected);
}

async function tarBackup(request: APIRequestContext, app: string, volumeId: string, name: string): Promise<string> {
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
        applicationId: app,
        name,
        schedule: "0 2 * * *",
        source: { pvcName: "shop-db-data" },
        destination: { volumeId, path: name },
        function: { kind: "TAR" },
        format: "PLAIN",
        retention: { keepLast: 7 },
      },
    },
  );
  return createBackup.id;
}

test.use({ storageState: statePath("admin") });

test("a new volume with two backups raises no alarm, and the Backup dialog weighs the space a backup needs", async ({
  page,
  request,
}, info) => {
  test.setTimeout(180_000);
  const acme = await acmeId(request);
  const shop = await shopId(request, acme);
  const [volumeId] = await Promise.all([
    createVolume(request, VOLUME, 50, { workspaceId: acme }),
    createVolume(request, SMALL, 2, { workspaceId: acme }),
  ]);
  try {
    for (const name of ["space-a", "space-b"]) await runNow(request, await tarBackup(request, shop, volumeId, name));

    // The agents sample the volume every second: once they have seen both archives, nothing is said about it.
    await expect
      .poll(
        async () =>
          (
            await graphql<{ workspace: { storageVolume: { usage: { usedBytes: number } | null } } }>(
              request,
              `
                query ($w: ID!, $id: ID!) {
                  workspace(id: $w) {
                    storageVolume(id: $id) {
                      usage {
                        usedBytes
                      }
                    }
                  }
                }
              `,
              { w: acme, id: volumeId },
            )
          ).workspace.storageVolume.usage?.usedBytes ?? 0,
        { timeout: 30_000 },
      )
      .toBeGreaterThan(2 * 1024 ** 3);
    await page.goto("/");
    const row = page.getByTestId("volume-row").filter({ hasText: VOLUME });
    await expect(row.getByRole("meter", { name: `Usage of ${VOLUME}` })).toBeVisible();
    // A few more monitoring cycles, then: no alert badge, no "filling" forecast, no message about the volume.
    await page.waitForTimeout(4_000);
    await expect(row.getByTestId("volume-alert-badge")).toHaveCount(0);
    await expect(row.getByTestId("volume-estimated-full")).toHaveText("—");
    const { assistantConversation, capacityAlerts } = await graphql<{
      assistantConversation: Array<{ text: string }>;
      capacityAlerts: Array<{ volumeId: string }>;
    }>(
      request,
      `
        query ($w: ID!) {
          assistantConversation(workspaceId: $w, last: 500) {
            text
          }
          capacityAlerts(workspaceId: $w, includeResolved: true) {
            volumeId
          }
        }
      `,
      { w: acme },
    );
    expect(assistantConversation.filter((m) => m.text.includes(VOLUME))).toEqual([]);
    expect(capacityAlerts.filter((a) => a.volumeId === volumeId)).toEqual([]);
    await page.screenshot({ path: info.outputPath("no-false-alarm.png"), fullPage: true });

    // A third backup of the same claim: the dialog says what it will need against the volume and the other two.
    await page.getByRole("link", { name: "Applications" }).click();
    await page.getByTestId("application-row").filter({ hasText: "shop" }).getByTestId("application-link").click();
    await page.getByRole("link", { name: "Backup", exact: true }).click();
    await page.getByRole("button", { name: "New backup" }).click();
    const form = page.getByTestId("backup-form-dialog");
    await form.getByLabel("Name").fill("space-new");
    await form.getByLabel("Schedule (cron)").fill("0 4 * * *");
    await form.getByRole("radio", { name: /Plain files/ }).check();
    await form.getByLabel("Source claim").selectOption("shop-db-data");
    const volume = form.getByLabel("Destination volume");
    await volume.selectOption((await volume.locator("option", { hasText: VOLUME }).getAttribute("value"))!);
    await form.getByLabel("Keep last").fill("3");
    const need = form.getByRole("region", { name: "Space this backup will need" });
    // Four archives of the ~1.25 GiB claim (three kept and the next before its prune), in the Storage table's units.
    await expect(need.getByTestId("space-need-summary")).toHaveText(/^~5(\.\d+)? GiB with keep-last 3$/);
    await expect(need.getByTestId("space-need-destination")).toHaveText(
      /^'space-need-vol' has 4\d(\.\d+)? GiB free of 50 GiB; the 2 other backups there will hold ~\d+(\.\d+)? GiB at steady state \(2\.\d+ GiB now\)$/,
    );
    await expect(need.getByTestId("space-need-warning")).toHaveCount(0);
    await page.screenshot({ path: info.outputPath("space-need.png"), fullPage: true });

    // Too small a destination: the warning comes before saving; the admin may still save after reading it.
    await volume.selectOption((await volume.locator("option", { hasText: SMALL }).getAttribute("value"))!);
    const warning = need.getByTestId("space-need-warning");
    await expect(warning).toHaveText(
      /^This backup will not fit: it needs ~5(\.\d+)? GiB at steady state, and 'space-need-small' has room for 2 GiB/,
    );
    await form.getByLabel("Folder in the volume").fill("space-new");
    await form.getByRole("button", { name: "Create backup" }).click();
    await expect(warning).toBeFocused();
    await expect(warning).toContainText("Save again to keep this choice.");
    await expect(form).toBeVisible();
    await page.screenshot({ path: info.outputPath("space-warning.png"), fullPage: true });
    await form.getByRole("button", { name: "Create backup" }).click();
    await expect(form).toBeHidden();
    await expect(page.getByTestId("backup-row").filter({ hasText: "space-new" })).toContainText(SMALL);
  } finally {
    for (const name of BACKUPS) await deleteBackupsNamed(request, name);
  }
});

test("a Workspace Admin sets the days an expansion is sized for, within 7 to 730", async ({ page, request }) => {
  await page.goto("/");
  const panel = page.getByTestId("forecast-days-panel");
  const days = panel.getByLabel("Days an expansion is sized for");
  await expect(days).toHaveValue("90");
  try {
    await days.fill("3");
    await panel.getByRole("button", { name: "Save" }).click();
    await expect(panel.getByText(/^Size expansions for between 7 and 730 whole days \(3 was given\)/)).toBeVisible();
    await expect(days).toHaveAttribute("aria-invalid", "true");
    await days.fill("60");
    await panel.getByRole("button", { name: "Save" }).click();
    await expect(panel.getByRole("status")).toHaveText("Saved: expansions are now sized for 60 days.");
    await page.reload();
    await expect(page.getByTestId("forecast-days-panel").getByLabel("Days an expansion is sized for")).toHaveValue("60");
  } finally {
    // Other specs read the assistant's proposals with the default.
    const acme = await acmeId(request);
    await graphql(
      request,
      `
        mutation ($w: ID!) {
          setWorkspaceForecastDays(workspaceId: $w, days: 90) {
            id
          }
        }
      `,
      { w: acme },
    );
  }
});

test("a run that did not fit offers moving the backup to a volume with room, as a click", async ({ page, request }, info) => {
  test.setTimeout(180_000);
  const acme = await acmeId(request);
  const shop = await shopId(request, acme);
  const [roomyId, tinyId] = await Promise.all([
    createVolume(request, "space-roomy-vol", 20, { workspaceId: acme }),
    createVolume(request, "space-tiny-vol", 1, { workspaceId: acme }),
  ]);
  try {
    // A backup writing into the roomy volume mounts it, so the monitoring knows its free space.
    await runNow(request, await tarBackup(request, shop, roomyId, "space-roomy"));
    const moving = await tarBackup(request, shop, tinyId, "space-move");
    await runNow(request, moving, "FAILED");

    await page.goto("/");
    await page.getByTestId("assistant-button").click();
    const panel = page.getByRole("complementary", { name: "Assistant" });
    const notice = panel
      .getByTestId("assistant-message")
      .filter({ hasText: "The backup 'space-move' of application 'shop' failed" })
      .last();
    await expect(notice).toBeVisible({ timeout: 45_000 });
    await expect(notice).toContainText(/or move the backup to '[\w-]+', which has [\d.]+ GiB free\./);
    const remedies = notice.getByRole("group", { name: "Or fix the backup instead" });
    const move = remedies.getByRole("button", { name: /^Move it to '[\w-]+' \([\d.]+ GiB free\)$/ });
    await expect(move).toBeVisible();
    const target = /'([\w-]+)'/.exec(await move.innerText())![1]!;
    await page.screenshot({ path: info.outputPath("remedies.png"), fullPage: true });
    await move.click();
    await expect(
      panel.getByTestId("assistant-message").filter({ hasText: `Done: the backup 'space-move' now writes into '${target}'` }),
    ).toBeVisible();
    await expect(notice.getByTestId("proposal-state")).toHaveText("Backup moved");
    await expect(remedies).toHaveCount(0);
    const { backup } = await graphql<{ backup: { destination: { volume: { name: string } | null } } }>(
      request,
      `
        query ($id: ID!) {
          backup(id: $id) {
            destination {
              volume {
                name
              }
            }
          }
        }
      `,
      { id: moving },
    );
    expect(backup.destination.volume?.name).toBe(target);
  } finally {
    for (const name of ["space-roomy", "space-move"]) await deleteBackupsNamed(request, name);
  }
});
