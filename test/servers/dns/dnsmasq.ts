// A throwaway DNS server for the resolution tests: dnsmasq (Debian dnsmasq-base) on port 53 of an address of its
// own in 127.0.0.0/8, answering for the test's zones only (NXDOMAIN for the rest, nothing forwarded), with a
// resolv.conf that points at it. What reads that file is the agent in a mount namespace of its own (resolver.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { randomInt } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findExecutable } from "../throwaway/install.js";

export interface SrvEntry {
  /** "_xmpp-client._tcp.example.test" */
  name: string;
  /** Null: the "." target, "no such service here" (RFC 2782). */
  target: string | null;
  port?: number;
  priority?: number;
  weight?: number;
}

export interface DnsZone {
  /** Names under which dnsmasq answers alone (NXDOMAIN for anything it was not told): "example.test" */
  zones: string[];
  srv: SrvEntry[];
  /** Name -> addresses (A and AAAA) */
  hosts: Record<string, string[]>;
}

export interface ThrowawayDns {
  address: string;
  /** A resolv.conf naming only this server. */
  resolvConf: string;
  /** The names asked so far, in order ("SRV _xmpp-client._tcp.example.test"). */
  queries(): Promise<string[]>;
  stop(): Promise<void>;
}

export function dnsmasqInstalled(): boolean {
  return findExecutable("dnsmasq") !== null;
}

export async function startDnsmasq(zone: DnsZone): Promise<ThrowawayDns> {
  const dnsmasq = findExecutable("dnsmasq");
  if (!dnsmasq) throw new Error("the resolution tests need dnsmasq (Debian: apt-get install dnsmasq-base)");
  const dir = await mkdtemp(join(tmpdir(), "xmpp-device-agent-dns-"));
  const log = join(dir, "queries.log");
  const resolvConf = join(dir, "resolv.conf");
  for (let tries = 0; ; tries++) {
    // Not 127.0.0.1 (servers), not 127.0.0.53 (systemd-resolved): an address nobody else binds port 53 on
    const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    const args = [
      "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--no-poll", "--bind-interfaces",
      `--listen-address=${address}`, "--port=53", "--pid-file=", "--user=root", "--group=root", "--log-queries",
      `--log-facility=${log}`, "--cache-size=0",
      ...zone.zones.map((z) => `--local=/${z}/`),
      ...zone.srv.map((r) => `--srv-host=${[r.name, ...(r.target === null ? [] : [r.target, r.port ?? 5222, r.priority ?? 0, r.weight ?? 0])].join(",")}`),
      ...Object.entries(zone.hosts).map(([name, addresses]) => `--host-record=${[name, ...addresses].join(",")}`),
    ];
    const child = spawn(dnsmasq, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const ready = await startedOrExited(child, log);
    if (ready) {
      await writeFile(resolvConf, `nameserver ${address}\noptions timeout:1 attempts:1\n`);
      return {
        address,
        resolvConf,
        async queries() {
          const text = await readFile(log, "utf8").catch(() => "");
          return [...text.matchAll(/query\[(\w+)\] (\S+) from/g)].map((m) => `${m[1]} ${m[2]}`);
        },
        async stop() {
          if (child.exitCode === null) {
            child.kill("SIGTERM");
            await new Promise((resolve) => child.once("exit", resolve));
          }
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    if (tries >= 3 || !/Address already in use/.test(stderr)) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`dnsmasq did not start on ${address}:53: ${stderr.trim() || `exit ${child.exitCode}`}`);
    }
  }
}

/** True once dnsmasq logged that it started, false if it exited first. */
async function startedOrExited(child: ChildProcess, log: string): Promise<boolean> {
  for (let waited = 0; waited < 5000; waited += 50) {
    if (child.exitCode !== null) return false;
    if ((await readFile(log, "utf8").catch(() => "")).includes("started, version")) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  return false;
}
