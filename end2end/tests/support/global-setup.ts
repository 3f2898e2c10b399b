// Signs the admin in once through the real sign-in form and keeps the
// browser's state, so every test's pages start signed in.
import { chromium, type FullConfig } from "@playwright/test";
import { ADMIN_PASSWORD, ADMIN_STATE, ADMIN_USER } from "./auth";

export default async function globalSetup(config: FullConfig) {
  const { baseURL, launchOptions } = config.projects[0].use;
  const browser = await chromium.launch(launchOptions);
  const page = await browser.newPage({ baseURL });
  await page.goto("/");
  await page.getByLabel("User name").fill(ADMIN_USER);
  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText(`Signed in as ${ADMIN_USER}`).waitFor({ state: "attached" });
  await page.context().storageState({ path: ADMIN_STATE });
  await browser.close();
}
