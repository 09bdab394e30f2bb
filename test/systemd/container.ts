// A Debian root booted with systemd as PID 1 in a container, as on a Pi: `systemd-nspawn -b`. --register=no and
// --keep-unit let it boot on a host whose PID 1 is not systemd (else "Failed to open system bus"); no
// --private-network, so the container shares the host's loopback and reaches the test's Prosody and the apt
// mirror. Commands run inside with nsenter into the container's PID 1, under `env -i` so nothing of the test's
// environment (NODE_EXTRA_CA_CERTS, npm's variables) leaks in. The container mounts a fresh tmpfs on /tmp.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";

const PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface Container {
  root: string;
  /** PID 1 of the container, as this host sees it. */
  pid: number;
  /** Runs `command` inside; never throws on a non-zero exit. */
  run(command: string[], options?: { input?: string; env?: Record<string, string>; timeoutMs?: number }): Promise<Ran>;
  /** `sh -c script` inside; throws with its output on a non-zero exit; resolves with stdout. */
  sh(script: string, options?: { input?: string; env?: Record<string, string>; timeoutMs?: number }): Promise<string>;
  /** systemctl poweroff, as an owner pulls the plug politely; resolves when the container is gone. */
  poweroff(): Promise<void>;
  /** poweroff, or SIGKILL after `withinMs`; safe to call twice. */
  stop(withinMs?: number): Promise<void>;
  /** What systemd printed on the console (boot and shutdown). */
  console(): string;
}

const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const nspawn of live) nspawn.kill("SIGKILL");
});

export async function boot(root: string, options: { machine: string; binds?: string[]; timeoutMs?: number }): Promise<Container> {
  const args = ["-D", root, "-b", "--console=pipe", "--register=no", "--keep-unit", `--machine=${options.machine}`];
  for (const bind of options.binds ?? []) args.push(`--bind=${bind}`);
  const nspawn = spawn("systemd-nspawn", args, { env: { PATH }, stdio: ["ignore", "pipe", "pipe"] });
  live.add(nspawn);
  let printed = "";
  nspawn.stdout!.on("data", (d) => (printed += d));
  nspawn.stderr!.on("data", (d) => (printed += d));
  const exited = new Promise<void>((resolve) => nspawn.once("exit", () => (live.delete(nspawn), resolve())));
  const timeoutMs = options.timeoutMs ?? 60_000;

  let pid = 0;
  const until = Date.now() + timeoutMs;
  while (pid === 0) {
    if (nspawn.exitCode !== null || nspawn.signalCode !== null) throw new Error(`systemd-nspawn exited (${nspawn.exitCode ?? nspawn.signalCode}):\n${printed}`);
    if (Date.now() > until) throw new Error(`no systemd in the container within ${timeoutMs} ms:\n${printed}`);
    pid = initOf(nspawn.pid!);
    if (pid === 0) await new Promise((r) => setTimeout(r, 100));
  }

  const run: Container["run"] = (command, opts = {}) =>
    new Promise((resolve) => {
      // detached: a process group of its own, so a stray `kill 0` inside cannot stop this test and its servers
      const child = spawn("nsenter", ["-t", String(pid), "-a", "--", ...command], { env: { PATH, LANG: "C.UTF-8", ...opts.env }, stdio: ["pipe", "pipe", "pipe"], detached: true });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 120_000);
      child.stdin.on("error", () => undefined); // EPIPE: the command did not read its input
      child.stdin.end(opts.input ?? "");
      child.on("close", (status) => (clearTimeout(timer), resolve({ status, stdout, stderr })));
    });
  const sh: Container["sh"] = async (script, opts) => {
    const ran = await run(["sh", "-c", script], opts);
    if (ran.status !== 0) throw new Error(`in the container, \`${script}\` exited ${ran.status}:\n${ran.stdout}${ran.stderr}`);
    return ran.stdout;
  };

  let stopping: Promise<void> | null = null;
  const container: Container = {
    root,
    pid,
    run,
    sh,
    async poweroff() {
      await run(["systemctl", "poweroff"]);
      const timer = setTimeout(() => nspawn.kill("SIGKILL"), 60_000);
      await exited;
      clearTimeout(timer);
    },
    stop(withinMs = 30_000) {
      stopping ??= (async () => {
        if (nspawn.exitCode !== null || nspawn.signalCode !== null) return;
        // SIGTERM to systemd-nspawn asks the container's systemd to power off (SIGRTMIN+3)
        nspawn.kill("SIGTERM");
        const timer = setTimeout(() => nspawn.kill("SIGKILL"), withinMs);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
    console: () => printed,
  };
  // Booted: running, or degraded when some unit of the minimal root fails. Until systemd has opened its bus,
  // systemctl cannot ask at all ("Failed to connect to system scope bus"): ask again.
  let state = await run(["systemctl", "is-system-running", "--wait"], { timeoutMs });
  while (state.stdout === "" && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    state = await run(["systemctl", "is-system-running", "--wait"], { timeoutMs });
  }
  if (!/^(running|degraded)$/m.test(state.stdout)) {
    await container.stop();
    throw new Error(`the container did not finish booting: ${state.stdout}${state.stderr}\n${printed}`);
  }
  return container;
}

/** The child of systemd-nspawn that has become systemd, or 0 while it has not. */
function initOf(nspawnPid: number): number {
  const children = readFileSync(`/proc/${nspawnPid}/task/${nspawnPid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  for (const child of children) {
    try {
      if (readFileSync(`/proc/${child}/comm`, "utf8").trim() === "systemd") return child;
    } catch {
      // gone already
    }
  }
  return 0;
}
