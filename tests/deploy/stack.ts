// What `npm run test:deploy` runs the app in: two nodes (`npm start`'s own script, pages and all)
// on one PostgreSQL database and one Redis, behind nginx configured by deploy/nginx/komnata.conf
// itself. The TLS lines (marked "# tls") are dropped and nginx listens on a loopback port; the
// upstreams point at the test's nodes and the body limit follows its MAX_UPLOAD_MB. Nothing else
// in the file changes, so what is tested is what people install.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import webpush from "web-push";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { takePort } from "../helpers/ports.ts";

const root = path.resolve(import.meta.dirname, "..", "..");
export const NGINX_CONF = path.join(root, "deploy", "nginx", "komnata.conf");
const REDIS_URL = process.env.KOMNATA_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
export const MAX_UPLOAD_MB = 32;

function replaceExactly(text: string, from: string | RegExp, to: string, times: number): string {
  const found = text.split(from).length - 1;
  if (found !== times) throw new Error(`deploy/nginx/komnata.conf changed shape: expected ${times} of ${from}, found ${found}`);
  return text.replaceAll(from, to);
}

/** The plain-HTTP variant of the site, for `port` on loopback, in front of `nodes` (two ports). */
export function plainHttpSite(conf: string, port: number, nodes: [number, number], maxBodyMb: number): string {
  let site = conf
    .split("\n")
    .filter((line) => !/#\s*tls\s*$/.test(line))
    .join("\n");
  site = replaceExactly(site, "server 127.0.0.1:3000 ", `server 127.0.0.1:${nodes[0]} `, 2);
  site = replaceExactly(site, "server 127.0.0.1:3001 ", `server 127.0.0.1:${nodes[1]} `, 2);
  site = replaceExactly(site, "client_max_body_size 26m;", `client_max_body_size ${maxBodyMb + 1}m;`, 1);
  return replaceExactly(site, "server_name chat.example.com;", `listen 127.0.0.1:${port};\n    server_name chat.example.com;`, 1);
}

export interface Node {
  port: number;
  url: string;
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

export interface Stack {
  /** nginx: what people open */
  url: string;
  nodes: Node[];
  database: TestDatabase;
  uploadDir: string;
  kill(node: Node): Promise<void>;
  stop(): Promise<void>;
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string, output?: string[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline)
      throw new Error(`${what} did not happen in ${timeoutMs} ms${output ? `:\n${output.join("")}` : ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A node as `npm start` runs it (its script builds the pages first if they are missing or stale). */
async function startNode(env: Record<string, string>, port: number): Promise<Node> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts", "start.ts")], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout?.on("data", (c: Buffer) => output.push(c.toString("utf8")));
  child.stderr?.on("data", (c: Buffer) => output.push(c.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  await until(
    async () => {
      if (child.exitCode !== null) throw new Error(`node on ${port} exited:\n${output.join("")}`);
      return (await fetch(`${url}/api/health`)).ok;
    },
    240_000,
    `node on ${port} serving`,
    output,
  );
  return { port, url, child, output, exited };
}

export async function startStack(): Promise<Stack> {
  const nginxVersion = spawnSync("nginx", ["-v"], { encoding: "utf8" });
  if (nginxVersion.error) throw new Error("nginx is not installed (Debian: apt-get install nginx-light); .ci/run installs it");
  const database = await createTestDatabase("postgres");
  const work = mkdtempSync(path.join(tmpdir(), "komnata-deploy-"));
  const uploadDir = path.join(work, "uploads");
  const vapid = webpush.generateVAPIDKeys();
  const [nginxPort, portA, portB] = [await takePort(), await takePort(), await takePort()];
  const url = `http://127.0.0.1:${nginxPort}`;
  const env = (name: string) => ({
    NODE_ENV: "production",
    DATA_DIR: path.join(work, name),
    UPLOAD_DIR: uploadDir,
    DATABASE_URL: database.url,
    REDIS_URL,
    NEXTAUTH_SECRET: "deploy-secret-deploy-secret-deploy-secret",
    NEXTAUTH_URL: url,
    TRUST_PROXY: "true",
    MAX_UPLOAD_MB: String(MAX_UPLOAD_MB),
    UPLOAD_QUOTA_MB: "1024",
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
    REGISTER_MAX_PER_HOUR: "1000",
    // a node that dies has its users dropped by the other within seconds
    PRESENCE_TTL_MS: "3000",
    LOG_LEVEL: "warn",
  });
  const nodes: Node[] = [];
  const stopAll = async () => {
    for (const n of nodes) n.child.kill("SIGKILL");
    await Promise.all(nodes.map((n) => n.exited));
  };
  let nginx: ChildProcess | undefined;
  try {
    // one after the other: the first builds the pages if they are missing, and migrates
    nodes.push(await startNode(env("a"), portA));
    nodes.push(await startNode(env("b"), portB));

    const site = plainHttpSite(readFileSync(NGINX_CONF, "utf8"), nginxPort, [portA, portB], MAX_UPLOAD_MB);
    writeFileSync(path.join(work, "komnata.conf"), site);
    mkdirSync(path.join(work, "nginx-temp"));
    writeFileSync(
      path.join(work, "nginx.conf"),
      [
        // workers as root only when the test runs as root (elsewhere the directive is ignored)
        process.getuid?.() === 0 ? "user root;" : "",
        "worker_processes 1;",
        `pid ${work}/nginx.pid;`,
        `error_log ${work}/nginx-error.log warn;`,
        "events { worker_connections 1024; }",
        "http {",
        "  access_log off;",
        `  client_body_temp_path ${work}/nginx-temp/body;`,
        `  proxy_temp_path ${work}/nginx-temp/proxy;`,
        `  include ${work}/komnata.conf;`,
        "}",
      ].join("\n"),
    );
    nginx = spawn("nginx", ["-e", `${work}/nginx-error.log`, "-p", work, "-c", `${work}/nginx.conf`, "-g", "daemon off;"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const nginxOutput: string[] = [];
    nginx.stderr?.on("data", (c: Buffer) => nginxOutput.push(c.toString("utf8")));
    const proxy = nginx;
    await until(
      async () => {
        if (proxy.exitCode !== null) throw new Error(`nginx exited:\n${nginxOutput.join("")}`);
        return (await fetch(`${url}/api/health`)).ok;
      },
      20_000,
      "nginx serving",
      nginxOutput,
    );
  } catch (error) {
    nginx?.kill("SIGKILL");
    await stopAll();
    await database.drop();
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  const proxy = nginx;
  return {
    url,
    nodes,
    database,
    uploadDir,
    kill: async (node) => {
      node.child.kill("SIGKILL");
      await node.exited;
    },
    stop: async () => {
      proxy.kill("SIGQUIT");
      await stopAll();
      await database.drop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
