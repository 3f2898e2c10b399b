// Time until the catalog is interactive in headless Chromium on localhost:
// starts the release server on a fresh SQLite store, fills it with
// CATALOG_STREAMS builder streams (default 1000) through the API, then loads
// the catalog RUNS times (default 20) in a fresh browser context each time
// (cold: nothing cached) and RUNS times by reloading one context (warm), and
// prints p50/p90 of: the server's answer (responseStart), the first
// contentful paint, and the moment the app hydrated (`html[data-hydrated]`,
// set when the wasm has attached every handler). Every load is by the
// signed-in first admin (a fresh context gets the session cookie, nothing
// else).
//
// Run after a release build (`cargo leptos build --release`), from the
// repository root: node end2end/bench/time-to-interactive.mjs
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { chromium } from "@playwright/test";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const streams = Number(process.env.CATALOG_STREAMS ?? 1000);
const runs = Number(process.env.RUNS ?? 20);

async function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(base) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the server did not become ready");
}

const PASSWORD = "time to interactive bench";
const TOKEN = "isc_bench_token_0123456789abcdef0123456789abcdef";

/** Signs the admin in through the form; returns the session id. */
async function signIn(base) {
  const answer = await fetch(`${base}/auth/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    body: new URLSearchParams({ user: "admin", password: PASSWORD, next: "/" }),
  });
  const cookie = answer.headers.get("set-cookie") ?? "";
  const session = /isc_session=([0-9a-f]+)/.exec(cookie)?.[1];
  if (!session) throw new Error(`sign-in failed: ${answer.status}`);
  return session;
}

const LANGUAGES = ["ruby", "python", "nodejs", "golang", "php", "perl", "java", "dotnet", "postgresql", "mysql"];

async function seed(base) {
  const post = (url, body) =>
    fetch(`${base}${url}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(body),
    });
  for (let n = 0; n < streams; n += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, streams - n) }, (_, i) => {
        const k = n + i;
        const word = LANGUAGES[k % LANGUAGES.length];
        return post("/apis/image.openshift.io/v1/namespaces/openshift/imagestreams", {
          metadata: { name: `builder-${k}`, annotations: { "openshift.io/display-name": `Builder ${k}` } },
          spec: {
            tags: ["1.0", "2.0", "3.0"].map((version) => ({
              name: version,
              annotations: { tags: `builder,${word}`, iconClass: `icon-${word}`, description: `Build ${word} ${version} applications.` },
              from: { kind: "DockerImage", name: `quay.io/bench/${word}:${version}` },
              reference: true,
            })),
          },
        }).then((r) => {
          if (r.status !== 201) throw new Error(`seeding failed: ${r.status}`);
        });
      }),
    );
  }
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// Records the moment the page hydrated, in the page's own clock.
const RECORD_HYDRATION = () => {
  // Runs before the document has its root element: watch the document.
  new MutationObserver((_, observer) => {
    if (document.documentElement?.hasAttribute("data-hydrated")) {
      window.__hydratedAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-hydrated"] });
};

async function measure(page, url, reload) {
  if (reload) await page.reload();
  else await page.goto(url);
  await page.waitForFunction(() => window.__hydratedAt !== undefined);
  return page.evaluate(() => {
    const navigation = performance.getEntriesByType("navigation")[0];
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    return { response: navigation.responseStart, paint: paint ? paint.startTime : NaN, hydrated: window.__hydratedAt };
  });
}

function report(label, samples) {
  const line = (key) => `${percentile(samples.map((s) => s[key]), 50).toFixed(0)} / ${percentile(samples.map((s) => s[key]), 90).toFixed(0)}`;
  console.log(`| ${label} | ${line("response")} | ${line("paint")} | ${line("hydrated")} |`);
}

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "isc-tti-"));
fs.writeFileSync(path.join(dataDir, "admin-password"), PASSWORD);
fs.writeFileSync(path.join(dataDir, "api-token"), TOKEN);
const server = spawn(
  path.join(root, "target/release/image-stream-console"),
  [
    "--listen", `127.0.0.1:${port}`, "--data-dir", dataDir, "--site-root", path.join(root, "target/site"),
    "--log-level", "warn", "--disable-scheduled-import",
    "--admin-password-file", path.join(dataDir, "admin-password"), "--api-token-file", path.join(dataDir, "api-token"),
  ],
  { stdio: ["ignore", "ignore", "inherit"] },
);
try {
  await waitReady(base);
  await seed(base);
  const session = await signIn(base);
  const signedIn = async (context) => {
    await context.addCookies([{ name: "isc_session", value: session, url: base }]);
    await context.addInitScript(RECORD_HYDRATION);
  };
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  const url = `${base}/ns/default/catalog`;
  const cold = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    await signedIn(context);
    cold.push(await measure(await context.newPage(), url, false));
    await context.close();
  }
  const context = await browser.newContext();
  await signedIn(context);
  const page = await context.newPage();
  await measure(page, url, false);
  const warm = [];
  for (let i = 0; i < runs; i++) warm.push(await measure(page, url, true));
  await browser.close();
  console.log(`catalog with ${streams} builder streams in openshift, ${runs} loads each; p50 / p90 in ms since navigation start`);
  console.log("| load | server answered | first contentful paint | interactive (hydrated) |");
  console.log("| --- | --- | --- | --- |");
  report("cold (fresh context)", cold);
  report("warm (reload)", warm);
} finally {
  server.kill();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
