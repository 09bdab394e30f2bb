// Child-process entry for bench/notify.bench.ts: a fresh node that loads one way of sending sd_notify
// messages, sends one, then `count` WATCHDOG=1 messages, and prints its RSS and CPU as JSON.
//   node build/bench/notify-probe.js <contender> <socket path> <node_modules dir> <count>
import { createRequire, syncBuiltinESMExports } from "node:module";
import { join } from "node:path";
import { processCpu } from "./process-cpu.js";
import { installSpawnCounter } from "./spawn-counter.js";

const NOTIFY_CONTENDERS = ["bare", "ours", "unix-dgram", "sd-notify"] as const;
type NotifyContender = (typeof NOTIFY_CONTENDERS)[number];

/** What the probe prints; bench/notify.bench.ts reads it. */
export interface ProbeResult {
  name: NotifyContender;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  /** Per message, milliseconds: this process (µs resolution) and its reaped children (clock ticks). */
  selfMs: number;
  childrenMs: number;
  wallMs: number;
  spawnsPerMessage: number;
}

type SendOne = () => Promise<void>;

async function load(name: NotifyContender, socket: string, modules: string): Promise<SendOne> {
  const require = createRequire(join(modules, "noop.js"));
  const message = Buffer.from("WATCHDOG=1");
  switch (name) {
    case "bare":
      return async () => undefined;
    case "ours": {
      const { systemdNotifyCommand } = await import("../src/systemd/send.js");
      const send = systemdNotifyCommand(socket);
      return () => send(["WATCHDOG=1"]);
    }
    case "unix-dgram": {
      const { createSocket } = require("unix-dgram") as {
        createSocket(type: "unix_dgram"): { send(buf: Buffer, offset: number, length: number, path: string, cb: (err?: Error) => void): void };
      };
      const client = createSocket("unix_dgram");
      // EAGAIN (-11): the receiver's queue is full; a real sender would wait for it too
      const once = (resolve: () => void, reject: (err: Error) => void) =>
        client.send(message, 0, message.length, socket, (err) => {
          if (!err) resolve();
          else if ((err as NodeJS.ErrnoException).errno === -11 || /congestion/.test(err.message)) setTimeout(() => once(resolve, reject), 1);
          else reject(err);
        });
      return () => new Promise(once);
    }
    case "sd-notify": {
      // libsystemd's sd_notify reads NOTIFY_SOCKET itself
      process.env.NOTIFY_SOCKET = socket;
      const sd = require("sd-notify") as { watchdog(): void };
      return async () => sd.watchdog();
    }
  }
}

async function main(): Promise<void> {
  const [name, socket = "", modules = "", countText = "1"] = process.argv.slice(2);
  if (!(NOTIFY_CONTENDERS as readonly string[]).includes(name ?? "")) throw new Error(`unknown contender "${name}"`);
  const counter = installSpawnCounter();
  // src/systemd/send.ts imports execFile as an ES module binding: make it see the counting wrapper
  syncBuiltinESMExports();
  const cpu = processCpu();
  const rssBeforeBytes = process.memoryUsage().rss;
  const send = await load(name as NotifyContender, socket, modules);
  await send();
  await counter.settled();
  const rssAfterBytes = process.memoryUsage().rss;

  const count = Number(countText);
  const spawnedBefore = counter.spawned;
  const ticksBefore = cpu.now();
  const usageBefore = process.cpuUsage();
  const wallBefore = performance.now();
  for (let i = 0; i < count; i++) await send();
  await counter.settled();
  const wallMs = performance.now() - wallBefore;
  const usage = process.cpuUsage(usageBefore);
  const childTicks = cpu.now().children - ticksBefore.children;
  const result: ProbeResult = {
    name: name as NotifyContender,
    rssBeforeBytes,
    rssAfterBytes,
    selfMs: (usage.user + usage.system) / 1000 / count,
    childrenMs: ((childTicks / cpu.ticksPerSecond) * 1000) / count,
    wallMs: wallMs / count,
    spawnsPerMessage: (counter.spawned - spawnedBefore) / count,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0); // a native socket's handle must not keep the probe alive
}

await main();
