// The console shell in a real browser: server-rendered, hydrated, and a
// control that calls a server function which writes to the store updates the
// page without a reload.
import { expect, test, type Page, openHydrated } from "./support/fixtures";

test("a project created in the dialog appears without a reload and persists", async ({ page }) => {
  await openHydrated(page, "/");
  await expect(page.getByRole("heading", { level: 1, name: "Projects" })).toBeVisible();
  await page.evaluate(() => ((window as any).__sameDocument = true));

  await page.getByRole("button", { name: "Create project" }).click();
  const dialog = page.getByRole("dialog", { name: "Create project" });
  await expect(dialog).toBeVisible();

  // Live validation, with the server's rules compiled to wasm.
  const name = dialog.getByRole("textbox", { name: "Name", exact: true });
  await name.fill("Team E2E");
  await expect(dialog.getByRole("alert").filter({ hasText: "lowercase RFC 1123 label" })).toBeVisible();
  await expect(name).toHaveAttribute("aria-invalid", "true");

  await name.fill("team-e2e");
  await expect(name).not.toHaveAttribute("aria-invalid", "true");
  await dialog.getByLabel("Display name").fill("Team End-to-End");
  await dialog.getByRole("button", { name: "Create" }).click();

  await expect(page.getByRole("status").getByText("Project team-e2e created")).toBeVisible();
  await expect(dialog).toBeHidden();
  const row = page.locator("tr", { has: page.getByRole("link", { name: "team-e2e" }) });
  await expect(row).toContainText("Team End-to-End");
  await expect(page.locator("#project-switcher option", { hasText: "Team End-to-End" })).toHaveCount(1);
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);

  // A taken name is reported at the field, and what was typed is kept.
  await page.getByRole("button", { name: "Create project" }).click();
  await name.fill("team-e2e");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByText('projects.project.openshift.io "team-e2e" already exists')).toBeVisible();
  await expect(name).toHaveValue("team-e2e");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await page.reload();
  await expect(page.getByRole("link", { name: "team-e2e" })).toBeVisible();
});

test("the project switcher opens the same section in another project", async ({ page }) => {
  await openHydrated(page, "/ns/default/catalog");
  await page.getByLabel("Project", { exact: true }).selectOption("openshift");
  await expect(page).toHaveURL(/\/ns\/openshift\/catalog$/);
  await expect(page.getByRole("link", { name: "Image Streams" })).toHaveAttribute("href", "/ns/openshift/imagestreams");
});

test("the table sorts by a column and filters by name", async ({ page }) => {
  await openHydrated(page, "/");
  const firstName = () => page.locator("tbody tr").first().locator("td").first();
  await expect(firstName()).toHaveText("default");
  await page.getByRole("button", { name: /^Name/ }).click();
  await expect(page.getByRole("columnheader", { name: /^Name/ })).toHaveAttribute("aria-sort", "descending");
  await expect(firstName()).not.toHaveText("default");

  await page.getByLabel("Filter projects by name").fill("no-such-project");
  await expect(page.getByRole("heading", { name: "No projects match" })).toBeVisible();
  await page.getByRole("button", { name: "Clear the filter" }).click();
  await expect(page.getByRole("link", { name: "openshift" })).toBeVisible();
});

test("deleting a project asks for its name first", async ({ page }) => {
  await openHydrated(page, "/");
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("dialog", { name: "Create project" }).getByRole("textbox", { name: "Name", exact: true }).fill("short-lived");
  await page.getByRole("dialog", { name: "Create project" }).getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("link", { name: "short-lived" })).toBeVisible();

  await page.getByRole("button", { name: "Delete project short-lived" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete project?" });
  const confirm = dialog.getByRole("button", { name: "Delete" });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Type the project name to confirm").fill("short-lived");
  await confirm.click();
  await expect(page.getByRole("status").getByText("Project short-lived deleted")).toBeVisible();
  await expect(page.getByRole("link", { name: "short-lived" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete project openshift" })).toBeDisabled();
});

test("unknown addresses get a real 404 page", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Go to projects" })).toHaveAttribute("href", "/");
});

test("the dark theme is remembered across reloads", async ({ page }) => {
  await openHydrated(page, "/");
  const toggle = page.getByRole("button", { name: "Dark theme" });
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await toggle.click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
});

test("on a phone the navigation is a menu", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await openHydrated(page, "/");
  const settings = page.getByRole("link", { name: "Settings" });
  await expect(settings).not.toBeInViewport();
  await page.getByRole("button", { name: "Main menu" }).click();
  await expect(settings).toBeInViewport();
  await settings.click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole("button", { name: "Main menu" })).toHaveAttribute("aria-expanded", "false");
});
