// A real registry for browser tests: Debian's docker-registry on 127.0.0.1
// with a throwaway storage directory, and an image pushed into it by skopeo
// from an OCI layout written here.
import bcrypt from "bcryptjs";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export interface Registry {
  host: string;
  /** `user:password` the registry requires, if it requires a login. */
  login?: string;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.on("connect", () => { socket.destroy(); resolve(true); });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the registry did not start");
}

/** A plain-HTTP registry; with `login`, one that requires that user and
 * password (HTTP basic against an htpasswd file). */
export async function startRegistry(login?: { user: string; password: string }): Promise<Registry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "isc-e2e-registry-"));
  const port = await freePort();
  const config = path.join(dir, "config.yml");
  let auth = "";
  if (login) {
    const htpasswd = path.join(dir, "htpasswd");
    fs.writeFileSync(htpasswd, `${login.user}:${bcrypt.hashSync(login.password, 5)}\n`);
    auth = `auth:\n  htpasswd:\n    realm: e2e\n    path: ${htpasswd}\n`;
  }
  fs.writeFileSync(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\n${auth}http:\n  addr: 127.0.0.1:${port}\n`);
  const child: ChildProcess = spawn("docker-registry", ["serve", config], { stdio: "ignore" });
  await waitForPort(port);
  return {
    host: `127.0.0.1:${port}`,
    login: login && `${login.user}:${login.password}`,
    stop() {
      child.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function blob(layout: string, mediaType: string, content: string) {
  const bytes = Buffer.from(content);
  const hex = createHash("sha256").update(bytes).digest("hex");
  fs.writeFileSync(path.join(layout, "blobs/sha256", hex), bytes);
  return { mediaType, digest: `sha256:${hex}`, size: bytes.length };
}

/** Pushes a one-layer linux/amd64 image to `repo:tag`; returns its digest. */
export function pushImage(registry: Registry, repo: string, tag: string, env: string): string {
  const layout = fs.mkdtempSync(path.join(os.tmpdir(), "isc-e2e-layout-"));
  fs.mkdirSync(path.join(layout, "blobs/sha256"), { recursive: true });
  fs.writeFileSync(path.join(layout, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  const layer = blob(layout, "application/vnd.oci.image.layer.v1.tar", `layer ${repo} ${tag} ${env}`);
  const config = blob(layout, "application/vnd.oci.image.config.v1+json", JSON.stringify({
    created: "2026-01-02T03:04:05Z",
    architecture: "amd64",
    os: "linux",
    config: {
      Env: [env],
      Cmd: ["/usr/bin/run"],
      ExposedPorts: { "8080/tcp": {} },
      Labels: { "io.k8s.display-name": "E2E app" },
      User: "1001",
      WorkingDir: "/app",
    },
    rootfs: { type: "layers", diff_ids: [layer.digest] },
  }));
  const manifest = blob(layout, "application/vnd.oci.image.manifest.v1+json", JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config,
    layers: [layer],
  }));
  fs.writeFileSync(path.join(layout, "index.json"), JSON.stringify({
    schemaVersion: 2,
    manifests: [{ ...manifest, annotations: { "org.opencontainers.image.ref.name": tag } }],
  }));
  execFileSync("skopeo", [
    "copy", "--all", "--preserve-digests", "--dest-tls-verify=false", "--quiet",
    ...(registry.login ? ["--dest-creds", registry.login] : []),
    `oci:${layout}:${tag}`, `docker://${registry.host}/${repo}:${tag}`,
  ]);
  fs.rmSync(layout, { recursive: true, force: true });
  return manifest.digest;
}
