import { expect, test, type Page, type Response } from "@playwright/test";
import { USERS } from "./users";

/**
 * The dashboard runs under its strict Content-Security-Policy as built: every page and the main dialogs, as an
 * admin, with not one violation reported by the browser.
 */

// Signs in through the form itself, so the sign-in page is checked too.
test.use({ storageState: { cookies: [], origins: [] } });

function expectSecurityHeaders(response: Response | null) {
  expect(response, "a document response").not.toBeNull();
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toMatch(/(^|;)\s*frame-ancestors 'none'\s*(;|$)/);
  expect(headers["content-security-policy"]).toMatch(/(^|;)\s*script-src 'self'\s*(;|$)/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-powered-by"]).toBeUndefined();
}

async function closeDialog(page: Page, name: string | RegExp) {
  const dialog = page.getByRole("dialog", { name });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Close", exact: true }).first().click();
  await expect(dialog).toBeHidden();
}

test("every page and dialog of the dashboard runs under its CSP with no violation", async ({ page, context }) => {
  const violations: string[] = [];
  // Reported from every document the page loads, across navigations.
  await context.exposeBinding("__reportCspViolation", (_source, text: string) => void violations.push(text));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __reportCspViolation: (text: string) => void }).__reportCspViolation;
      void report(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber} on ${location.pathname}`);
    });
  });
  // connect-src 'self' must cover graphql-ws on the same host: the live updates open one.
  const sockets: string[] = [];
  page.on("websocket", (ws) => sockets.push(new URL(ws.url()).pathname));
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(`console: ${message.text()}`);
  });

  const visit = async (path: string) => {
    const response = await page.goto(path);
    expectSecurityHeaders(response);
  };

  await visit("/sign-in");
  await page.getByLabel("Email").fill(USERS.admin);
  await page.getByLabel("Password").fill("hks-lab");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/w\/[^/]+\/storage/);
  const workspace = /\/w\/([^/]+)\//.exec(page.url())![1]!;

  // "/" and "/w/:id" redirect to the Storage section.
  await visit("/");
  await expect(page).toHaveURL(/\/w\/[^/]+\/storage/);
  await visit(`/w/${workspace}`);
  await expect(page).toHaveURL(/\/storage$/);

  // Storage: a volume made and removed again through its dialogs, so each of them is opened.
  await expect(page.getByRole("heading", { name: "Storage" }).first()).toBeVisible();
  const name = "csp-check";
  await page.getByRole("button", { name: "New volume" }).click();
  const create = page.getByRole("dialog", { name: "New volume" });
  await create.getByLabel("Name").fill(name);
  await create.getByLabel("Size", { exact: true }).fill("10");
  await create.getByRole("button", { name: "Create" }).click();
  await expect(create).toBeHidden();
  const volume = page.getByTestId("volume-row").filter({ hasText: name });
  await expect(volume).toContainText(/available/i, { timeout: 30_000 });
  await page.getByRole("button", { name: `Usage of ${name}` }).click();
  await closeDialog(page, `Usage of ${name}`);
  await page.getByRole("button", { name: `Expand ${name}` }).click();
  await closeDialog(page, `Expand ${name}`);
  await page.getByRole("button", { name: /quota for shop$/ }).click();
  await closeDialog(page, /quota for shop$/);

  // The assistant panel.
  await page.getByTestId("assistant-button").click();
  const panel = page.getByRole("complementary", { name: "Assistant" });
  await expect(panel).toBeVisible();
  await panel.getByRole("button", { name: "Close panel" }).click();
  await expect(panel).toHaveCount(0);

  await page.getByRole("button", { name: `Delete ${name}` }).click();
  const remove = page.getByRole("dialog", { name: `Delete ${name}` });
  await remove.getByRole("textbox").fill(name);
  await remove.getByRole("button", { name: "Delete volume" }).click();
  // Gone for good, so the other specs' storage totals are what they were.
  await expect(volume).toHaveCount(0, { timeout: 30_000 });

  // Applications, an application's Overview and its Backup tab with the backup form.
  await visit(`/w/${workspace}/applications`);
  const shop = page.getByTestId("application-row").filter({ hasText: "shop" });
  await shop.getByTestId("application-link").click();
  // The link opens the Backup tab; the Overview is the application's own path.
  await expect(page).toHaveURL(/\/applications\/[^/]+/);
  const application = /^\/w\/[^/]+\/applications\/[^/]+/.exec(new URL(page.url()).pathname)![0];
  await visit(application);
  await expect(page.getByRole("link", { name: "Backup", exact: true })).toBeVisible();
  await visit(`${application}/backups`);
  await page.getByRole("button", { name: "New backup" }).click();
  await expect(page.getByTestId("backup-form-dialog")).toBeVisible();
  await page.getByTestId("backup-form-dialog").getByRole("button", { name: "Close", exact: true }).first().click();
  await expect(page.getByTestId("backup-form-dialog")).toBeHidden();

  // A page that does not exist.
  await visit(`/w/${workspace}/no-such-page`);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();

  expect(violations).toEqual([]);
  expect(sockets).toContain("/graphql");
});
