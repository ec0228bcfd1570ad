import { expect, test as setup } from "@playwright/test";
import { statePath, USERS, type Who } from "./users";

for (const [who, email] of Object.entries(USERS) as Array<[Who, string]>) {
  setup(`signs in as ${email}`, async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("hks-lab");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/w\/[^/]+\/storage/);
    await expect(page.getByTestId("user-email")).toHaveText(email);
    await page.context().storageState({ path: statePath(who) });
  });
}

setup("refuses a wrong password with a message", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(USERS.admin);
  await page.getByLabel("Password").fill("wrong");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("not correct");
  await expect(page).toHaveURL(/sign-in/);
});
