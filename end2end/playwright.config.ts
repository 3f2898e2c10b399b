// Browser tests against a freshly built release server, in Debian's Chromium
// (Playwright never downloads a browser here).
import { defineConfig } from "@playwright/test";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ADMIN_PASSWORD, ADMIN_STATE, API_TOKEN } from "./tests/support/auth";

const port = Number(process.env.E2E_PORT ?? 3300);
const baseURL = `http://127.0.0.1:${port}`;
const root = path.resolve(__dirname, "..");
const binary = process.env.E2E_SERVER_BIN ?? path.join(root, "target/release/image-stream-console");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "isc-e2e-"));
// The first admin's password and the automation token, as an operator hands them over.
const secrets = fs.mkdtempSync(path.join(os.tmpdir(), "isc-e2e-secrets-"));
fs.writeFileSync(path.join(secrets, "admin-password"), ADMIN_PASSWORD, { mode: 0o600 });
fs.writeFileSync(path.join(secrets, "api-token"), API_TOKEN, { mode: 0o600 });
// The key pull secrets are sealed with: 32 random bytes, as hex.
fs.writeFileSync(path.join(secrets, "secrets-key"), crypto.randomBytes(32).toString("hex"), { mode: 0o600 });

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  globalSetup: "./tests/support/global-setup.ts",
  use: {
    baseURL,
    storageState: ADMIN_STATE,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: `${binary} --listen 127.0.0.1:${port} --data-dir ${dataDir} --site-root ${path.join(root, "target/site")} --log-level warn --admin-password-file ${path.join(secrets, "admin-password")} --api-token-file ${path.join(secrets, "api-token")} --secrets-key-file ${path.join(secrets, "secrets-key")}`,
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    // No shipped samples at first start: the catalog tests bring their own
    // builder images; the settings test switches the samples on.
    env: { ISC_SAMPLES_MANAGEMENT_STATE: "Removed" },
    stdout: "ignore",
    stderr: "pipe",
  },
});
