// The tests' `test`: pages open as the signed-in admin (the config's
// storage state), and `request` - the tests' own set-up calls to the API -
// carries the admin's API token, as a script would.
import { test as base, expect, request as requests, type APIRequestContext, type Page } from "@playwright/test";
import { API_TOKEN } from "./auth";

export { expect };

export const test = base.extend<{ request: APIRequestContext }>({
  request: async ({ baseURL }, use) => {
    const context = await requests.newContext({
      baseURL,
      extraHTTPHeaders: { Authorization: `Bearer ${API_TOKEN}` },
    });
    await use(context);
    await context.dispose();
  },
});
export type { APIRequestContext, Page } from "@playwright/test";

/** Opens `path` and waits until the page has hydrated (its controls work). */
export async function openHydrated(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
}
