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
// The console's client secret at the test OpenID Connect provider.
const oidcSecret = crypto.randomBytes(24).toString("hex");
fs.writeFileSync(path.join(secrets, "oidc-client-secret"), oidcSecret, { mode: 0o600 });
const oidcPort = Number(process.env.E2E_OIDC_PORT ?? port + 1);
const issuer = `http://127.0.0.1:${oidcPort}`;
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
  webServer: [
    // A real OpenID Connect provider (oidc-provider), for signing in through one.
    {
      command: "node oidc/provider.mjs",
      url: `${issuer}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
      env: { OIDC_PORT: String(oidcPort), CONSOLE_URL: baseURL, OIDC_CLIENT_SECRET: oidcSecret },
      stdout: "ignore",
      stderr: "ignore",
    },
    {
      command: [
        binary,
        `--listen 127.0.0.1:${port}`,
        `--data-dir ${dataDir}`,
        `--site-root ${path.join(root, "target/site")}`,
        "--log-level warn",
        `--admin-password-file ${path.join(secrets, "admin-password")}`,
        `--api-token-file ${path.join(secrets, "api-token")}`,
        `--secrets-key-file ${path.join(secrets, "secrets-key")}`,
        `--oidc-issuer-url ${issuer}`,
        "--oidc-client-id image-stream-console",
        `--oidc-client-secret-file ${path.join(secrets, "oidc-client-secret")}`,
        `--oidc-redirect-url ${baseURL}/auth/oidc/callback`,
        "--oidc-groups-claim groups",
      ].join(" "),
      url: `${baseURL}/readyz`,
      reuseExistingServer: false,
      timeout: 60_000,
      // No shipped samples at first start: the catalog tests bring their own
      // builder images; the settings test switches the samples on.
      env: { ISC_SAMPLES_MANAGEMENT_STATE: "Removed", ISC_OIDC_PROVIDER_NAME: "Test SSO" },
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
