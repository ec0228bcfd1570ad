import { expect, test, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";
import { statePath } from "./users";
import { acmeId, createVolume, graphql, shopId } from "./api";

// Spec 5: a backup volume fills up, the assistant tells the Workspace Admin and, on consent, expands it.
// Other specs share the server (and acme): everything here is found by this spec's own names.
const VOLUME = "backup-vol-fill";

/** Runs the backup now and waits for that run to finish; returns its status. */
async function runNow(request: APIRequestContext, backupId: string): Promise<string> {
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
  let status = "";
  await expect
    .poll(
      async () => {
        const data = await graphql<{ backupRun: { status: string; failureReason: string | null; message: string | null } }>(
          request,
          `
            query ($id: ID!) {
              backupRun(id: $id) {
                status
                failureReason
                message
              }
            }
          `,
          { id: runBackupNow.id },
        );
        // A failed run says why, so a failure here reads as the reason, not just "FAILED".
        const { failureReason, message } = data.backupRun;
        status = failureReason ? `${data.backupRun.status}: ${failureReason} ${message ?? ""}`.trim() : data.backupRun.status;
        return status.startsWith("SCHEDULED") || status.startsWith("RUNNING") ? "running" : "done";
      },
      { timeout: 30_000 },
    )
    .toBe("done");
  return status;
}

const volumeRow = (page: Page) => page.getByTestId("volume-row").filter({ hasText: VOLUME });

test.use({ storageState: statePath("admin") });
test.describe.configure({ mode: "serial" });

test("the assistant warns the admin that a backup volume is filling up and expands it on consent", async ({ page, request }, info) => {
  test.setTimeout(180_000);

  // Fixtures through the API: a small destination volume and a tar backup of shop's data into it.
  const acme = await acmeId(request);
  const volumeId = await createVolume(request, VOLUME, 4, { workspaceId: acme });
  const shop = await shopId(request, acme);
  const { createBackup: backup } = await graphql<{ createBackup: { id: string } }>(
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
        name: "fill",
        schedule: "0 3 * * *",
        source: { pvcName: "shop-db-data" },
        destination: { volumeId, path: "fill" },
        function: { kind: "TAR" },
        // Each tar run adds a whole archive, which is what fills the volume here (a restic repository would deduplicate).
        format: "PLAIN",
      },
    },
  );

  // Clean up the backup whatever happens: other specs expect shop's claims to have no backup yet.
  // (The volume stays, for the next test; the snapshots already written stay on it.)
  try {
    await fillAndExpand(page, request, backup.id, info);
  } finally {
    await graphql(
      request,
      `
        mutation ($id: ID!) {
          deleteBackup(id: $id) {
            id
          }
        }
      `,
      { id: backup.id },
    );
  }
});

async function fillAndExpand(page: Page, request: APIRequestContext, backupId: string, info: TestInfo) {
  // Three snapshots of ~1.25 lab GiB each fill the 4 GiB volume past the 85% threshold.
  for (let i = 0; i < 3; i++) expect(await runNow(request, backupId)).toBe("SUCCEEDED");

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Storage" }).first()).toBeVisible();
  const row = volumeRow(page);
  await expect(row.getByTestId("volume-alert-badge")).toHaveText(/Over 85%|Critical/, { timeout: 30_000 });
  await expect(row.getByRole("meter", { name: `Usage of ${VOLUME}` })).toBeVisible();

  // The agents hand the alert on until the assistant says it in the conversation (read here as the API has it,
  // so a failure tells the agents apart from the dashboard; the hand-off log says how far it got).
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
  await expect
    .poll(
      async () => {
        const { assistantConversation, assistantEventLog } = await graphql<{
          assistantConversation: Array<{ text: string }>;
          assistantEventLog: Array<{ fromAgent: string; toAgent: string; kind: string; outcome: string | null }>;
        }>(
          request,
          `
            query ($w: ID!) {
              assistantConversation(workspaceId: $w) {
                text
              }
              assistantEventLog(workspaceId: $w) {
                fromAgent
                toAgent
                kind
                outcome
              }
            }
          `,
          { w: acme },
        );
        const said = assistantConversation.some((m) => m.text.includes(`'${VOLUME}' has reached`));
        return said ? "said" : JSON.stringify(assistantEventLog.slice(0, 5));
      },
      { timeout: 30_000 },
    )
    .toBe("said");

  // The badge counts what the assistant said that this admin has not read yet (kept on the server, per user).
  const assistantButton = page.getByTestId("assistant-button");
  await expect(assistantButton.getByTestId("assistant-unread-badge")).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: info.outputPath("volume-filling-up.png"), fullPage: true });

  await assistantButton.click();
  const panel = page.getByRole("complementary", { name: "Assistant" });
  await expect(panel).toBeVisible();
  await expect(assistantButton.getByTestId("assistant-unread-badge")).toHaveCount(0);

  const warning = panel
    .getByTestId("assistant-message")
    .filter({ hasText: `Your backup storage volume '${VOLUME}' has reached` })
    .last();
  await expect(warning).toBeVisible({ timeout: 30_000 });
  const text = await warning.getByTestId("assistant-message-text").innerText();
  // The seed's words; a forecast ("At its current growth it will be full around …") may come before the question.
  expect(text).toMatch(
    new RegExp(
      `^Your backup storage volume '${VOLUME}' has reached \\d+% capacity\\. Future backups may fail\\.( [^?]*\\.)? Would you like to expand the volume\\?`,
    ),
  );
  const said = Number(/has reached (\d+)% capacity/.exec(text)![1]);
  expect(said).toBeGreaterThanOrEqual(85);

  // The percentage is the real one: what the Storage section shows for the volume, rounded. The row is re-read when
  // the alert changes and every 5 s; an alert raised before the page subscribed is met by the next re-read.
  await expect
    .poll(async () => Math.round(Number(await row.getByTestId("volume-usage-percent").getAttribute("data-percent"))), {
      timeout: 12_000,
    })
    .toBe(said);
  await expect(row.getByTestId("volume-usage-percent")).toHaveText(/^\d+(\.\d)?%$/);

  const expand = warning.getByRole("button", { name: /^Expand to \d+ GiB$/ });
  const size = Number(/(\d+) GiB/.exec(await expand.innerText())![1]);
  expect(size).toBeGreaterThan(4);
  await expect(warning.getByRole("button", { name: "Dismiss" })).toBeVisible();
  await page.screenshot({ path: info.outputPath("assistant-proposal.png"), fullPage: true });

  // Answered with the keyboard: focus moves to what became of the proposal, inside the panel (not to the page).
  await expand.focus();
  await page.keyboard.press("Enter");
  await expect(warning.locator("p.proposal-state")).toBeFocused();
  await expect(
    panel.getByTestId("assistant-message").filter({ hasText: `Expanding '${VOLUME}' from 4 GiB to ${size} GiB now` }),
  ).toBeVisible();
  await expect(warning.getByTestId("proposal-state")).toHaveText(/Expanding…|Expanded to/);
  await expect(warning.getByRole("button", { name: /^Expand to/ })).toHaveCount(0);
  await expect(panel.getByTestId("assistant-message").filter({ hasText: `Done: '${VOLUME}' is now ${size} GiB` })).toBeVisible({
    timeout: 30_000,
  });
  await expect(warning.getByTestId("proposal-state")).toHaveText(`Expanded to ${size} GiB`);
  await expect(row.getByTestId("volume-size")).toHaveText(`${size} GiB`);

  // The usage chart of the volume: its history against the 85% line, and the forecast.
  await page.getByRole("button", { name: `Usage of ${VOLUME}` }).click();
  const chartDialog = page.getByRole("dialog", { name: `Usage of ${VOLUME}` });
  await expect(chartDialog.getByRole("img", { name: `Used percent of ${VOLUME} over the last 24 hours` })).toBeVisible();
  await expect(chartDialog.getByTestId("usage-forecast")).not.toBeEmpty();
  await page.screenshot({ path: info.outputPath("usage-chart.png"), fullPage: true });
  await chartDialog.getByRole("button", { name: "Close" }).last().click();

  // With room again the alert clears (usage under the threshold by the hysteresis margin), said in the panel.
  await expect(panel.getByTestId("assistant-message").filter({ hasText: new RegExp(`'${VOLUME}' is back to \\d+% capacity`) })).toBeVisible(
    {
      timeout: 60_000,
    },
  );
  await expect(row.getByTestId("volume-alert-badge")).toHaveCount(0, { timeout: 15_000 });
  await page.screenshot({ path: info.outputPath("alert-cleared.png"), fullPage: true });
}

test.describe("a member of the workspace", () => {
  test.use({ storageState: statePath("member") });

  test("reads the assistant's conversation but cannot answer it", async ({ page }, info) => {
    await page.goto("/");
    await page.getByTestId("assistant-button").click();
    const panel = page.getByRole("complementary", { name: "Assistant" });
    await expect(
      panel
        .getByTestId("assistant-message")
        .filter({ hasText: `'${VOLUME}' has reached` })
        .first(),
    ).toBeVisible();
    await expect(panel.getByTestId("assistant-read-only")).toContainText("Only a Workspace Admin");
    await expect(panel.getByRole("textbox", { name: "Reply to the assistant" })).toHaveCount(0);
    await expect(panel.getByRole("button", { name: /^(Expand to|Dismiss)/ })).toHaveCount(0);
    await page.screenshot({ path: info.outputPath("member-reads-assistant.png"), fullPage: true });
    await page.getByRole("button", { name: "Close panel" }).click();
    await expect(panel).toHaveCount(0);
  });
});
