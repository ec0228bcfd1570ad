import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { statePath } from "./users";

/** The admin's bearer token from the signed-in browser state, for fixtures made through the API. */
function adminToken(): string {
  const state = JSON.parse(readFileSync(statePath("admin"), "utf8")) as {
    origins: Array<{ localStorage: Array<{ name: string; value: string }> }>;
  };
  return state.origins.flatMap((o) => o.localStorage).find((e) => e.name === "hks.authToken")!.value;
}

async function graphql<T>(request: APIRequestContext, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await request.post("/graphql", { data: { query, variables }, headers: { authorization: `Bearer ${adminToken()}` } });
  const body = (await res.json()) as { data: T; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

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
  const { createStorageVolume } = await graphql<{ createStorageVolume: { id: string } }>(
    request,
    `
      mutation ($input: CreateStorageVolumeInput!) {
        createStorageVolume(input: $input) {
          id
        }
      }
    `,
    { input: { workspaceId: acme, name: "backup-vol-e2e", sizeGiB: 100 } },
  );
  await expect
    .poll(async () => {
      const data = await graphql<{ workspace: { storageVolume: { status: string } } }>(
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
      return data.workspace.storageVolume.status;
    })
    .toBe("AVAILABLE");

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
  await expect(backupRun).toContainText(/1\.\d+ MiB/);
  await expect(backupRow).toContainText(/1\.\d+ MiB/);
  await page.screenshot({ path: info.outputPath("backup-succeeded.png"), fullPage: true });

  await backupRun.getByTestId("run-logs").click();
  await expect(page.getByTestId("run-log-output")).not.toBeEmpty();
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
});
