import { expect, test, type Page } from "@playwright/test";
import { statePath } from "./users";
import { createVolume, graphql } from "./api";

/** A phone, and a 1400 px laptop window at 200% zoom. */
const SIZES = [
  { width: 390, height: 844 },
  { width: 700, height: 900 },
] as const;

/** Every row kind that carries actions, and the plain tables that must still fit. */
const ROW_TEST_IDS = ["volume-row", "namespace-quota-row", "application-row", "claim-row", "backup-row", "run-row"];

/**
 * The page never scrolls sideways, every button of every row lies within the viewport's width, and
 * (once signed in) "Sign out" and the workspace switcher are on screen. Then a full-page screenshot.
 */
async function checkNarrowLayout(page: Page, name: string, { signedIn = true } = {}): Promise<void> {
  const width = page.viewportSize()!.width;
  // Let late layout (fonts, virtualized rows measuring themselves) settle before measuring.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  // The screenshot first, so a failing check below still leaves the picture to look at.
  const shot = `${name}-${width}.png`;
  await page.screenshot({ path: test.info().outputPath(shot), fullPage: true });
  await test.info().attach(shot, { path: test.info().outputPath(shot), contentType: "image/png" });
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(innerWidth).toBe(width);
  expect(scrollWidth, `${name}: the page scrolls sideways`).toBeLessThanOrEqual(innerWidth);

  if (signedIn) {
    for (const control of [page.getByRole("button", { name: "Sign out" }), page.getByTestId("workspace-switcher")]) {
      await expect(control).toBeVisible();
      const box = (await control.boundingBox())!;
      expect(box.x, `${name}: ${await control.innerText()} starts off screen`).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, `${name}: ${await control.innerText()} ends off screen`).toBeLessThanOrEqual(innerWidth);
    }
  }

  let buttonsChecked = 0;
  for (const testId of ROW_TEST_IDS) {
    for (const row of await page.getByTestId(testId).all()) {
      for (const control of await row.locator("button, a").all()) {
        await expect(control).toBeVisible();
        const box = (await control.boundingBox())!;
        const label = (await control.getAttribute("aria-label")) ?? (await control.innerText());
        expect(box.x, `${name}: "${label}" in a ${testId} starts off screen`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `${name}: "${label}" in a ${testId} ends off screen`).toBeLessThanOrEqual(innerWidth);
        buttonsChecked++;
      }
    }
  }
  test.info().annotations.push({ type: "row controls checked", description: `${name}-${width}: ${buttonsChecked}` });
}

async function openStorage(page: Page): Promise<void> {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /Storage/ }).first()).toBeVisible();
  await expect(page.getByTestId("summary-cost").or(page.getByTestId("provisioning-blocked")).first()).toBeVisible();
}

let acmeId = "";
let shopId = "";

test.beforeAll(async ({ request }) => {
  // A volume, a backup of shop onto it and one run: rows with every kind of action on the pages checked.
  const { workspaces } = await graphql<{
    workspaces: Array<{ id: string; slug: string; applications: Array<{ id: string; name: string }> }>;
  }>(
    request,
    `
      {
        workspaces {
          id
          slug
          applications {
            id
            name
          }
        }
      }
    `,
  );
  const acme = workspaces.find((w) => w.slug === "acme")!;
  acmeId = acme.id;
  shopId = acme.applications.find((a) => a.name === "shop")!.id;
  const volumeId = await createVolume(request, "narrow-backup-destination-volume", 100, {
    workspaceId: acmeId,
    idempotencyKey: "narrow-e2e-volume",
  });
  // Made once per run of the stack: a worker restarted after a failure finds it in place.
  const { application } = await graphql<{ application: { backups: Array<{ id: string; name: string }> } }>(
    request,
    `
      query ($id: ID!) {
        application(id: $id) {
          backups {
            id
            name
          }
        }
      }
    `,
    { id: shopId },
  );
  const existing = application.backups.find((b) => b.name === "narrow-nightly");
  if (existing) return;
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
        applicationId: shopId,
        name: "narrow-nightly",
        schedule: "0 2 * * *",
        timeZone: "Europe/Berlin",
        source: { pvcName: "shop-db-data" },
        function: { kind: "TAR" },
        destination: { volumeId: volumeId, path: "shop/narrow" },
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
});

for (const size of SIZES) {
  test.describe(`at ${size.width}x${size.height}`, () => {
    test.use({ viewport: size });

    test("the sign-in page fits the screen", async ({ page }) => {
      await page.goto("/sign-in");
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
      await checkNarrowLayout(page, "sign-in", { signedIn: false });
    });

    test.describe("as the Acme admin", () => {
      test.use({ storageState: statePath("admin") });

      test("Storage fits, with every volume's and quota's actions on screen", async ({ page }) => {
        await openStorage(page);
        await expect(page.getByTestId("volume-row").first()).toBeVisible();
        await expect(page.getByRole("button", { name: "Delete narrow-backup-destination-volume" })).toBeVisible();
        await checkNarrowLayout(page, "storage-admin");
      });

      test("Storage fits with the assistant panel open", async ({ page }) => {
        await openStorage(page);
        await page.getByTestId("assistant-button").click();
        await expect(page.getByTestId("assistant-panel")).toBeVisible();
        await checkNarrowLayout(page, "storage-assistant");
      });

      test("Applications fits, every application's link on screen", async ({ page }) => {
        await page.goto(`/w/${acmeId}/applications`);
        await expect(page.getByTestId("application-row").first()).toBeVisible();
        await checkNarrowLayout(page, "applications");
      });

      test("an application's Backup tab fits, with every backup's and run's actions on screen", async ({ page }) => {
        await page.goto(`/w/${acmeId}/applications/${shopId}/backups`);
        const backup = page.getByTestId("backup-row").filter({ hasText: "narrow-nightly" });
        await expect(backup.getByRole("button", { name: "Run now: narrow-nightly" })).toBeVisible();
        await backup.getByRole("button", { name: "narrow-nightly", exact: true }).click();
        await expect(page.getByTestId("run-row").first()).toBeVisible();
        await checkNarrowLayout(page, "backup");
      });
    });

    test.describe("as an Acme member", () => {
      test.use({ storageState: statePath("member") });

      test("Storage fits, read-only", async ({ page }) => {
        await openStorage(page);
        await expect(page.getByTestId("volume-row").first()).toBeVisible();
        await checkNarrowLayout(page, "storage-member");
      });
    });

    test.describe("as the Globex admin", () => {
      test.use({ storageState: statePath("globex") });

      test("Storage fits, with the provisioning-blocked explanation", async ({ page }) => {
        await openStorage(page);
        await checkNarrowLayout(page, "storage-globex");
      });
    });
  });
}
