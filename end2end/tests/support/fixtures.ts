// The tests' `test`: pages open as the signed-in admin (the config's
// storage state), and `request` - the tests' own set-up calls to the API -
// carries the admin's API token, as a script would.
import { test as base, expect, request as requests, type APIRequestContext } from "@playwright/test";
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
