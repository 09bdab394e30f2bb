// Debian root file systems to boot systemd in (test/systemd/container.ts): made once with debootstrap from the
// Debian mirror this machine's apt already uses, kept outside the clone (a second run, or another clone, reuses
// them), and copied afresh for every run so no run sees what an earlier one installed.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Where the pristine root file systems and the apt caches live; XDA_TEST_CACHE moves them. */
export const CACHE = process.env.XDA_TEST_CACHE || "/var/cache/xmpp-device-agent-test";
const INCLUDE = "systemd,systemd-sysv,dbus,libnss-systemd,ca-certificates";
/** Written into each root: a root made with other options is made again. */
const STAMP = ".xmpp-device-agent-rootfs";
const FALLBACK_MIRROR = "http://deb.debian.org/debian";

/** The Debian archive in this machine's apt sources (not -security, not a third party's), for debootstrap. */
export function debianMirror(): string {
  const dir = "/etc/apt/sources.list.d";
  const files = ["/etc/apt/sources.list", ...(existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : [])];
  for (const file of files.filter((f) => /\.(list|sources)$/.test(f) && existsSync(f))) {
    const text = readFileSync(file, "utf8");
    const uris = file.endsWith(".sources")
      ? [...text.matchAll(/^URIs:\s*(.+)$/gim)].flatMap((m) => m[1]!.trim().split(/\s+/))
      : [...text.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/gm)].map((m) => m[1]!);
    const debian = uris.find((uri) => /^https?:\/\/.*\/debian\/?$/.test(uri));
    if (debian) return debian.replace(/\/$/, "");
  }
  return FALLBACK_MIRROR;
}

/** The pristine root of a Debian suite ("trixie", "bookworm"): from the cache, or made now (about 75 s). */
export async function pristineRoot(suite: string, say: (line: string) => void): Promise<string> {
  const root = join(CACHE, suite);
  const stamp = `debootstrap --variant=minbase --include=${INCLUDE} ${suite}`;
  if (existsSync(join(root, STAMP)) && readFileSync(join(root, STAMP), "utf8").trim() === stamp) return root;
  mkdirSync(CACHE, { recursive: true });
  const partial = `${root}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const mirror = debianMirror();
  say(`making the ${suite} root with debootstrap from ${mirror} (kept in ${root} for later runs)`);
  try {
    await run("debootstrap", ["--variant=minbase", `--include=${INCLUDE}`, suite, partial, mirror], { maxBuffer: 64 << 20, timeout: 20 * 60_000 });
  } catch (error) {
    const log = readFileSync(join(partial, "debootstrap/debootstrap.log"), "utf8").split("\n").slice(-15).join("\n");
    rmSync(partial, { recursive: true, force: true });
    throw new Error(`debootstrap ${suite} failed: ${(error as Error).message}\n${log}`);
  }
  writeFileSync(join(partial, STAMP), `${stamp}\n`);
  rmSync(root, { recursive: true, force: true });
  renameSync(partial, root);
  return root;
}

/** A fresh copy of `pristine` for one run; the caller removes it. */
export async function workingCopy(pristine: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "xmpp-device-agent-systemd-"));
  await run("cp", ["-a", "--reflink=auto", `${pristine}/.`, dir]);
  return dir;
}

/** A directory under the cache, made if missing: apt's downloads kept between runs. */
export function cacheDir(name: string): string {
  const dir = join(CACHE, name);
  mkdirSync(join(dir, "partial"), { recursive: true });
  return dir;
}
