// A Pi for the systemd tests: a Debian root booted with systemd as PID 1 (container.ts), a throwaway Prosody on
// this host's loopback that the container reaches, the device's account, and an operator logged in from here
// who accepts the device's subscription. Helpers read the unit's state the way an owner would: systemctl and
// journalctl inside the container. stop() takes it all down and removes the copy of the root.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { startProsody, type ThrowawayProsody } from "../servers/prosody/throwaway.js";
import { connectPeer, type Peer } from "../support/peer.js";
import { lineCapture } from "../support/log-capture.js";
import { requireCommand } from "../support/host-tools.js";
import { boot, type Container } from "./container.js";
import { cacheDir, pristineRoot, workingCopy } from "./rootfs.js";

export const UNIT = "xmpp-device-agent.service";
export const REPO = fileURLToPath(new URL("../../../", import.meta.url));
/** What the tests captured for docs/operators.md: real `systemctl status` and `journalctl` output. */
export const CAPTURES = join(REPO, "build/systemd");

export interface Pi {
  /** "trixie" or "bookworm". */
  suite: string;
  container: Container;
  prosody: ThrowawayProsody;
  /** The device's bare JID and its password (random, so a leak cannot match by chance). */
  device: string;
  password: string;
  operator: Peer;
  /** `systemctl show` of these properties, as { Name: value }. */
  show(...properties: string[]): Promise<Record<string, string>>;
  /** Polls show() until `ok` accepts it; fails with the last state after `timeoutMs`. */
  until(what: string, properties: string[], ok: (state: Record<string, string>) => boolean, timeoutMs?: number): Promise<Record<string, string>>;
  /** The agent's lines in the journal (MESSAGE of its node process), oldest first. */
  agentLines(): Promise<string[]>;
  /** Writes `text` to build/systemd/<suite>-<name>.txt. */
  capture(name: string, text: string): void;
  /** Boots the same root again after a power-off. */
  bootAgain(): Promise<void>;
  stop(): Promise<void>;
}

const say = (line: string) => process.stderr.write(`[systemd] ${line}\n`);

export async function startPi(suite: string): Promise<Pi> {
  if (process.getuid?.() !== 0) throw new Error("booting a container needs root: run npm run test:systemd as root, as CI does");
  requireCommand("systemd-nspawn", "systemd-container");
  requireCommand("debootstrap", "debootstrap");
  requireCommand("nsenter", "util-linux");
  const pristine = await pristineRoot(suite, say);
  const root = await workingCopy(pristine);
  // apt's downloads and lists kept between runs: the second run fetches only what changed
  const binds = [`${cacheDir(`apt-archives-${suite}`)}:/var/cache/apt/archives`, `${cacheDir(`apt-lists-${suite}`)}:/var/lib/apt/lists`];
  const machine = `xda-${suite}-${process.pid}`;
  // An aborted run: container.ts kills the container, this removes its copy of the root
  const removeRoot = () => rmSync(root, { recursive: true, force: true });
  process.on("exit", removeRoot);
  let container: Container | null = null;
  let prosody: ThrowawayProsody | null = null;
  let operator: Peer | null = null;
  const stop = async () => {
    await operator?.stop();
    await container?.stop();
    await prosody?.stop();
    removeRoot();
    process.off("exit", removeRoot);
  };
  try {
    container = await boot(root, { machine, binds });
    prosody = await startProsody();
    const password = `pi-${randomBytes(9).toString("base64url")}`;
    const device = await prosody.register("pi-42", password);
    const operatorJid = await prosody.register("alice", "alice-pw");
    operator = await connectPeer(prosody.service, operatorJid, "alice-pw", { acceptFrom: device });
    const c = () => container!;
    const show = async (...properties: string[]) => {
      const out = await c().sh(`systemctl show ${properties.map((p) => `-p ${p}`).join(" ")} ${UNIT}`);
      return Object.fromEntries(out.trim().split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
    };
    const journalCapture = lineCapture("file");
    const captured = new Set<string>();
    return {
      suite,
      get container() {
        return c();
      },
      prosody,
      device,
      password,
      operator,
      show,
      async until(what, properties, ok, timeoutMs = 30_000) {
        const end = Date.now() + timeoutMs;
        for (;;) {
          const state = await show(...properties);
          if (ok(state)) return state;
          if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms; last ${JSON.stringify(state)}`);
          await new Promise((r) => setTimeout(r, 250));
        }
      },
      async agentLines() {
        const out = await c().sh(`journalctl -u ${UNIT} -o json --no-pager`);
        const entries = out.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
        const agent = entries.filter((e) => e.SYSLOG_IDENTIFIER === "node");
        // Into the suite's secrets scan too (test/faults/secrets.test.ts), once each
        const fresh = agent.filter((e) => !captured.has(String(e.__CURSOR)));
        journalCapture.write(fresh.map((e) => `${String(e.MESSAGE)}\n`).join(""));
        for (const e of fresh) captured.add(String(e.__CURSOR));
        return agent.map((e) => String(e.MESSAGE));
      },
      capture(name, text) {
        mkdirSync(CAPTURES, { recursive: true });
        writeFileSync(join(CAPTURES, `${suite}-${name}.txt`), text);
      },
      async bootAgain() {
        container = await boot(root, { machine, binds });
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
