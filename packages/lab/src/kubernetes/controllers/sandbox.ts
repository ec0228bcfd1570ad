import { execFileSync } from "node:child_process";
import { existsSync, lstatSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * How the lab isolates a pod's container the way a container runtime would: bubblewrap gives it a mount namespace that
 * shows only the "image" (this machine's /usr and a few /etc files, read-only), its volumes at their mount paths, and a
 * private /tmp, /proc and /dev; it runs as an unprivileged user. The network namespace stays shared on purpose: backup
 * functions reach PostgreSQL and MariaDB on 127.0.0.1.
 */

/** The user a container runs as when its securityContext names none: "nobody", as unprivileged as it gets. */
export const DEFAULT_UID = 65534;
export const DEFAULT_GID = 65534;

export interface SandboxMount {
  /** Path on this machine. */
  source: string;
  /** Path inside the container. */
  target: string;
  readOnly: boolean;
}

export interface SandboxSpec {
  argv: string[];
  mounts: SandboxMount[];
  /** Inside the container; "/" when the pod sets no workingDir. */
  cwd: string;
  uid: number;
  gid: number;
  supplementaryGroups: number[];
  hostname: string;
  /** A folder of this pod where the sandbox's /etc/passwd and /etc/group are written. */
  etcDir: string;
}

/** What the DB clients, TLS and name lookups of 127.0.0.1/localhost need from /etc; nothing else of the host's. */
const ETC_FILES = [
  "hosts",
  "resolv.conf",
  "nsswitch.conf",
  "host.conf",
  "localtime",
  "alternatives",
  "ssl",
  "ca-certificates",
  "postgresql-common",
  "mysql",
];

/** Folders the sandbox sets up itself (their own permissions are right). */
const SYSTEM_DIRS = ["/usr", "/etc", "/proc", "/dev", "/tmp", "/var"];

let bwrapPath: string | null | undefined;

/** The bwrap binary, or undefined when bubblewrap is not installed. */
export function findBwrap(): string | undefined {
  if (bwrapPath === undefined) {
    bwrapPath = null;
    for (const dir of ["/usr/bin", "/usr/local/bin", "/bin"])
      if (existsSync(path.join(dir, "bwrap"))) {
        bwrapPath = path.join(dir, "bwrap");
        break;
      }
  }
  return bwrapPath ?? undefined;
}

export const BWRAP_MISSING =
  "the lab runs pods isolated with bubblewrap, which is not installed: apt-get install bubblewrap (Debian/Ubuntu), then start the lab again";

const isRoot = () => process.getuid?.() === 0;

/** Writes the sandbox's /etc/passwd and /etc/group (root, nobody and the container's own user). */
export async function writeEtc(spec: Pick<SandboxSpec, "uid" | "gid" | "etcDir">): Promise<void> {
  const users = new Map<number, string>([
    [0, "root:x:0:0:root:/root:/usr/sbin/nologin"],
    [DEFAULT_UID, `nobody:x:${DEFAULT_UID}:${DEFAULT_GID}:nobody:/nonexistent:/usr/sbin/nologin`],
  ]);
  if (!users.has(spec.uid)) users.set(spec.uid, `user${spec.uid}:x:${spec.uid}:${spec.gid}::/tmp:/usr/sbin/nologin`);
  const groups = new Map<number, string>([
    [0, "root:x:0:"],
    [DEFAULT_GID, `nogroup:x:${DEFAULT_GID}:`],
  ]);
  if (!groups.has(spec.gid)) groups.set(spec.gid, `group${spec.gid}:x:${spec.gid}:`);
  await writeFile(path.join(spec.etcDir, "passwd"), [...users.values()].join("\n") + "\n", { mode: 0o644 });
  await writeFile(path.join(spec.etcDir, "group"), [...groups.values()].join("\n") + "\n", { mode: 0o644 });
}

/** The command line that runs `spec.argv` isolated; throws with BWRAP_MISSING when bubblewrap is not installed. */
export function sandboxArgv(spec: SandboxSpec): string[] {
  const bwrap = findBwrap();
  if (!bwrap) throw new Error(BWRAP_MISSING);
  const args = [bwrap, "--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"];
  // Without root the lab cannot switch users: a user namespace then keeps the container at the lab's own (non-root) uid.
  if (!isRoot()) args.push("--unshare-user");
  args.push("--hostname", spec.hostname, "--ro-bind", "/usr", "/usr");
  for (const top of ["bin", "sbin", "lib", "lib32", "lib64", "libx32"]) {
    const host = `/${top}`;
    if (!existsSync(host)) continue;
    if (lstatSync(host).isSymbolicLink()) args.push("--symlink", execFileSync("readlink", [host], { encoding: "utf8" }).trim(), host);
    else args.push("--ro-bind", host, host);
  }
  args.push("--dir", "/etc");
  for (const name of ETC_FILES) args.push("--ro-bind-try", `/etc/${name}`, `/etc/${name}`);
  args.push("--ro-bind", path.join(spec.etcDir, "passwd"), "/etc/passwd", "--ro-bind", path.join(spec.etcDir, "group"), "/etc/group");
  args.push("--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp", "--perms", "1777", "--tmpfs", "/dev/shm");
  args.push("--dir", "/var", "--perms", "1777", "--tmpfs", "/var/tmp");
  // Shorter targets first so a mount inside another volume's path lands on top of it.
  const inMount = (p: string, mounts: SandboxMount[]) => mounts.some((m) => p === m.target || p.startsWith(`${m.target}/`));
  const bound: SandboxMount[] = [];
  // bwrap makes missing parents 0700, which would hide a mount from the container's unprivileged user.
  const parents = (p: string) => {
    for (let dir = path.posix.dirname(p), chain: string[] = []; ; dir = path.posix.dirname(dir)) {
      if (dir === "/" || inMount(dir, bound) || SYSTEM_DIRS.some((d) => dir === d || dir.startsWith(`${d}/`))) {
        for (const d of chain.reverse()) args.push("--perms", "0755", "--dir", d);
        return;
      }
      chain.push(dir);
    }
  };
  for (const m of [...spec.mounts].sort((a, b) => a.target.length - b.target.length)) {
    parents(m.target);
    args.push(m.readOnly ? "--ro-bind" : "--bind", m.source, m.target);
    bound.push(m);
  }
  if (!inMount(spec.cwd, bound)) {
    parents(spec.cwd);
    args.push("--perms", "0755", "--dir", spec.cwd);
  }
  args.push("--chdir", spec.cwd, "--");
  if (isRoot())
    args.push(
      "/usr/bin/setpriv",
      `--reuid=${spec.uid}`,
      `--regid=${spec.gid}`,
      spec.supplementaryGroups.length ? `--groups=${spec.supplementaryGroups.join(",")}` : "--clear-groups",
      "--inh-caps=-all",
      "--bounding-set=-all",
      "--no-new-privs",
      "--",
    );
  return [...args, ...spec.argv];
}
