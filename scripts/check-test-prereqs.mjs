#!/usr/bin/env node
// Run first by `pnpm test`: everything the tests take from the machine, checked in seconds, so a fresh machine is told
// in one line per missing thing what to install (and how) instead of failing or silently skipping tests much later.
// Plain Node.js with no dependencies: it runs before `pnpm install` has been, too. Debian's package names.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sudo = process.getuid?.() === 0 ? "" : "sudo ";
const apt = (...packages) => `${sudo}apt-get install -y ${packages.join(" ")}`;
/** The kubectl release the lab's API answers as (packages/lab/src/kubernetes/discovery.ts); Debian has no kubectl package. */
const KUBECTL_VERSION = "v1.31.0";
const kubectlArch = process.arch === "arm64" ? "arm64" : "amd64";

/** [what is missing, the command that fixes it] */
const missing = [];
const need = (what, fix) => missing.push([what, fix]);

const executable = (file) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};
const onPath = (command) => (process.env["PATH"] ?? "").split(path.delimiter).some((dir) => dir && executable(path.join(dir, command)));

/** Whether something accepts TCP connections at host:port within a second and a half. */
function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1500, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

const run = (command, args) => spawnSync(command, args, { encoding: "utf8", timeout: 10_000 });

// Node.js and the workspace's own packages.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19))
  need(`Node.js >= 20.19 (this is ${process.versions.node})`, "install Node.js 20 LTS from https://nodejs.org");
if (!existsSync(path.join(root, "node_modules", ".bin", "turbo")))
  need("the workspace's packages", "npm i -g pnpm@12.4.2 && pnpm install --frozen-lockfile");

// The tools the tests run.
const pgClient = onPath("pg_dump") && onPath("psql");
const tools = [
  ["rsync", apt("rsync")],
  ["zstd", apt("zstd")],
  ["restic", apt("restic")],
  ["rclone", apt("rclone")],
  ["bwrap", apt("bubblewrap")],
  ["pg_dump", apt("postgresql-client")],
  [
    "kubectl",
    `curl -fsSLo /tmp/kubectl https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${kubectlArch}/kubectl && ${sudo}install /tmp/kubectl /usr/local/bin/kubectl`,
  ],
];
for (const [command, fix] of tools) if (!onPath(command)) need(command, fix);
if (onPath("pg_dump") && !onPath("psql")) need("psql", apt("postgresql-client"));
if (!onPath("mariadb-dump") && !onPath("mysqldump")) need("mariadb-dump", apt("mariadb-client"));
const prometheus = "/usr/bin/prometheus";
if (!executable(prometheus)) need(prometheus, apt("prometheus"));
const chromium = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
if (!executable(chromium)) need(`Chromium at ${chromium}`, `${apt("chromium")} (or set CHROMIUM_PATH)`);

// PostgreSQL: every test file creates and drops a database of its own through this one.
const databaseUrl = new URL(process.env["TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test");
const pgHost = databaseUrl.hostname || "127.0.0.1";
const pgPort = Number(databaseUrl.port || 5432);
if (!(await reachable(pgHost, pgPort))) {
  const local = ["127.0.0.1", "localhost", "::1"].includes(pgHost) && pgPort === 5432;
  const clusters = existsSync("/etc/postgresql") ? readdirSync("/etc/postgresql") : [];
  const start = `${sudo}pg_ctlcluster ${clusters[0] ?? 15} main start`;
  need(
    `PostgreSQL at ${pgHost}:${pgPort}`,
    !local ? "start it, or point TEST_DATABASE_URL at one that runs" : clusters.length > 0 ? start : `${apt("postgresql")} && ${start}`,
  );
} else if (pgClient) {
  const query = (url, sql) => run("psql", [url, "-X", "-w", "-Atqc", sql]);
  let answer = query(databaseUrl.toString(), "select 1");
  const database = decodeURIComponent(databaseUrl.pathname.slice(1));
  if (answer.status !== 0 && /does not exist/.test(answer.stderr)) {
    // The one set-up done here: the database the tests create theirs from.
    const admin = new URL(databaseUrl);
    admin.pathname = "/postgres";
    query(admin.toString(), `create database "${database.replace(/"/g, '""')}"`);
    answer = query(databaseUrl.toString(), "select 1");
  }
  if (answer.status !== 0)
    need(
      `PostgreSQL login as ${databaseUrl.toString()} (${answer.stderr.trim().split("\n")[0]})`,
      "allow it in pg_hba.conf (trust for 127.0.0.1, then reload PostgreSQL) or set TEST_DATABASE_URL to a login that works",
    );
}

// MariaDB for the mysqldump function's tests: root without a password over TCP.
if (!(await reachable("127.0.0.1", 3306))) {
  need(
    "MariaDB at 127.0.0.1:3306",
    existsSync("/usr/sbin/mariadbd") ? `${sudo}service mariadb start` : `${apt("mariadb-server")} && ${sudo}service mariadb start`,
  );
} else if (onPath("mariadb")) {
  const answer = run("mariadb", ["--protocol=TCP", "-h", "127.0.0.1", "-P", "3306", "-u", "root", "-e", "select 1"]);
  if (answer.status !== 0)
    need(
      "MariaDB login as root without a password over TCP",
      `${sudo}mariadb -e "ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('')"`,
    );
}

if (missing.length > 0) {
  for (const [what, fix] of missing) console.error(`missing: ${what} — run: ${fix}`);
  console.error('pnpm test stops here until the above is there (README, "Run the tests"); .ci/run sets it up on Debian.');
  process.exit(1);
}
