// Scenario: the cost of the owner's checks. CPU (this process and its reaped children, /proc/self/stat) and wall
// time per run of each kind against local targets, side by side in one process, then what ten checks every 60 s
// add on top of sampling, as a share of one core. Spawns are counted: only `command` and `systemd` spawn.
import { once } from "node:events";
import { syncBuiltinESMExports } from "node:module";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installSpawnCounter } from "./spawn-counter.js";
import { processCpu } from "./process-cpu.js";
import { sig } from "./stats.js";
import type { ScenarioResult } from "./run.js";

const RUNS = 200;
const log = (line: string) => process.stderr.write(`[checks] ${line}\n`);

export async function run(): Promise<ScenarioResult> {
  const counter = installSpawnCounter(); // before the probes load child_process
  syncBuiltinESMExports(); // the probes import child_process as ES modules: let them see the counting functions
  const { runProbe } = await import("../src/checks/probe.js");
  const { withDefaults } = await import("../src/checks/spec.js");
  const { createSampler } = await import("../src/sampling/sampler.js");
  const { systemFiles } = await import("../src/sampling/read.js");
  const cpu = processCpu();

  const http = createHttpServer((_req, res) => res.writeHead(200).end("ok"));
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  const tcp = createServer((socket) => socket.end());
  tcp.listen(0, "127.0.0.1");
  await once(tcp, "listening");
  const dir = mkdtempSync(join(tmpdir(), "checks-bench-"));
  writeFileSync(join(dir, "heartbeat"), "");
  const port = (server: { address(): unknown }) => (server.address() as { port: number }).port;

  const kinds = withDefaults([
    { name: "systemd", type: "systemd", unit: "ssh.service" },
    { name: "process", type: "process", match: "node" },
    { name: "tcp", type: "tcp", host: "127.0.0.1", port: port(tcp) },
    { name: "http", type: "http", url: `http://127.0.0.1:${port(http)}/health` },
    { name: "file", type: "file", path: join(dir, "heartbeat"), maxAgeSeconds: 120 },
    { name: "command", type: "command", argv: ["/usr/lib/nagios/plugins/check_disk", "-w", "10%", "-c", "5%", "-p", "/"] },
  ]);
  const rows: { kind: string; cpuMs: number; wallMs: number; spawns: number; outcome: string }[] = [];
  for (const spec of kinds) {
    log(`${spec.type} x ${RUNS}`);
    await runProbe(spec, "bench"); // warm: module code compiled, connections' first-use costs paid
    const before = cpu.now();
    const spawns0 = counter.spawned;
    const t0 = performance.now();
    let outcome = "";
    for (let i = 0; i < RUNS; i++) outcome = (await runProbe(spec, "bench")).text;
    const wallMs = performance.now() - t0;
    const after = cpu.now();
    const ticks = after.self + after.children - before.self - before.children;
    rows.push({ kind: spec.type, cpuMs: (ticks * 1000) / cpu.ticksPerSecond / RUNS, wallMs: wallMs / RUNS, spawns: (counter.spawned - spawns0) / RUNS, outcome });
  }
  http.close();
  tcp.close();

  // Sampling at the default interval (10 s): 6 samples a minute, for scale
  const sampler = createSampler({ files: systemFiles("/"), disks: ["/"] });
  await sampler.sample();
  const s0 = cpu.now();
  for (let i = 0; i < RUNS; i++) await sampler.sample();
  const s1 = cpu.now();
  const sampleCpuMs = ((s1.self + s1.children - s0.self - s0.children) * 1000) / cpu.ticksPerSecond / RUNS;

  const per = Object.fromEntries(rows.map((r) => [r.kind, r.cpuMs]));
  // Ten checks as a device owner might write them: the app's unit, two processes, two ports, two URLs, a heartbeat
  // and two monitoring plugins, every 60 s
  const mix = { systemd: 1, process: 2, tcp: 2, http: 2, file: 1, command: 2 } as Record<string, number>;
  const tenPerMinuteMs = Object.entries(mix).reduce((sum, [kind, n]) => sum + n * (per[kind] ?? 0), 0);
  const share = (msPerMinute: number) => `${sig((msPerMinute / 60_000) * 100)} %`;

  const table = [
    "| check | CPU per run (ms, with children) | wall per run (ms) | processes spawned per run | what it said |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.kind} | ${sig(r.cpuMs)} | ${sig(r.wallMs)} | ${sig(r.spawns)} | ${r.outcome.replace(/\|/g, "\\|").slice(0, 50)} |`),
    `| (one health sample, for scale) | ${sig(sampleCpuMs)} | | 0 | |`,
  ];
  const markdown = [
    `${RUNS} runs of each kind against local targets (an HTTP server and a TCP listener in this process, a file in a temp dir, check_disk from monitoring-plugins-basic). On a machine without systemd as PID 1 the systemd probe's \`systemctl show\` fails fast, so its row is the cost of the spawn, which is most of it.`,
    "",
    ...table,
    "",
    `Ten checks every 60 s (1 systemd, 2 process, 2 tcp, 2 http, 1 file, 2 command): ${sig(tenPerMinuteMs)} ms of CPU a minute = **${share(tenPerMinuteMs)} of one core** (target under 0.1 %); sampling at the default 10 s interval: ${sig(sampleCpuMs * 6)} ms a minute = ${share(sampleCpuMs * 6)}.`,
    "",
    "Only `command` (the plugin itself) and `systemd` spawn a process: the unit's state comes from `systemctl show`, one process a run. A D-Bus client library would spawn nothing, but the one maintained for Node (`dbus-next`) last had a release in 2021 and is loaded at start-up for a check that runs once a minute: its spawn-free run would save about the systemd row's CPU each minute, which is already a small fraction of the target.",
  ].join("\n");
  return { name: "checks", title: "Checks: cost per run and ten checks on top of sampling", markdown };
}
