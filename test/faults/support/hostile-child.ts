// The agent in a child process, for the faults suite (hostile input and soak). Its RSS and event loop are then
// its own: the test's peers keep every stanza they receive and build 256 KB stanzas, which would otherwise
// count against the agent. Parent side: forkAgent(); child side: serveProbe(), which answers "stats" (after a
// forced GC: the child runs with --expose-gc) and reports every uncaughtException and unhandledRejection.
import { fork } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";

export interface Fault {
  kind: "uncaughtException" | "unhandledRejection";
  message: string;
}

export interface ProbeStats {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  arrayBuffersBytes: number;
  /** Event-loop delay since the last reset, ms (perf_hooks.monitorEventLoopDelay, 10 ms resolution). */
  lag: { p50: number; p99: number; max: number; mean: number };
  /** process.getActiveResourcesInfo(), sorted. */
  resources: string[];
  faults: Fault[];
}

type Handler = (message: Record<string, unknown>) => unknown;

/** Child side. `handlers` answer the parent's other requests ("stop" should end the process after answering). */
export function serveProbe(handlers: Record<string, Handler>) {
  const faults: Fault[] = [];
  const report = (kind: Fault["kind"]) => (err: unknown) => {
    const fault = { kind, message: err instanceof Error ? `${err.message}\n${err.stack ?? ""}` : String(err) };
    faults.push(fault);
    process.send?.({ type: "fault", fault });
  };
  process.on("uncaughtException", report("uncaughtException"));
  process.on("unhandledRejection", report("unhandledRejection"));
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;

  const stats = (message: Record<string, unknown>): ProbeStats => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    const memory = process.memoryUsage();
    const result: ProbeStats = {
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      externalBytes: memory.external,
      arrayBuffersBytes: memory.arrayBuffers,
      lag: { p50: ms(lag.percentile(50)), p99: ms(lag.percentile(99)), max: ms(lag.max), mean: ms(lag.mean) },
      resources: process.getActiveResourcesInfo().sort(),
      faults,
    };
    if (message.resetLag) lag.reset();
    return result;
  };

  process.on("message", (message: Record<string, unknown>) => {
    const { id, type } = message as { id: number; type: string };
    const handler = type === "stats" ? stats : handlers[type];
    Promise.resolve()
      .then(() => (handler ? handler(message) : Promise.reject(new Error(`no handler for ${type}`))))
      .then(
        (result) => process.send?.({ id, ok: true, result }),
        (err: Error) => process.send?.({ id, ok: false, error: err.message }),
      );
  });
  process.send?.({ type: "probe-ready" });
}

export interface AgentChild {
  pid: number;
  request<T>(type: string, payload?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  stats(resetLag?: boolean): Promise<ProbeStats>;
  /** Faults the child reported, as they came. */
  faults: Fault[];
  /** Messages without an id the child sent (progress reports). */
  onEvent(listener: (message: Record<string, unknown>) => void): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  /** Asks the child to stop its agent and exit; kills it if it takes longer than `withinMs`. */
  stop(withinMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Parent side: forks `entry` (a built .js file) with --expose-gc and the given environment. */
export async function forkAgent(entry: string, env: Record<string, string>): Promise<AgentChild> {
  const child = fork(entry, [], {
    env: { PATH: process.env.PATH ?? "", ...env },
    // V8 sizes its young generation from the machine's memory: 16 MB semi-spaces on a 24 GB test host, which
    // grow once under load and add 13-35 MB of RSS for good (heap in use flat). 4 MB is nearer what a Pi-class
    // device gets, and leaves RSS to say what the agent holds. FAULTS_NODE_OPTIONS adds or overrides flags
    // (e.g. "--max-semi-space-size=16", or "--cpu-prof --cpu-prof-dir=/tmp/prof" to look inside a slow run).
    execArgv: ["--expose-gc", "--max-semi-space-size=4", ...(process.env.FAULTS_NODE_OPTIONS?.split(" ").filter(Boolean) ?? [])],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + String(chunk)).slice(-20_000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const faults: Fault[] = [];
  const listeners: ((message: Record<string, unknown>) => void)[] = [];
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let ids = 0;
  let ready: () => void = () => undefined;
  const probeReady = new Promise<void>((resolve) => (ready = resolve));
  child.on("message", (message: Record<string, unknown>) => {
    if (message.type === "fault") faults.push(message.fault as Fault);
    if (message.type === "probe-ready") ready();
    const waiting = typeof message.id === "number" ? pending.get(message.id) : undefined;
    if (waiting) {
      pending.delete(message.id as number);
      if (message.ok) waiting.resolve(message.result);
      else waiting.reject(new Error(String(message.error)));
    } else listeners.forEach((l) => l(message));
  });
  void exited.then(({ code, signal }) => {
    for (const waiting of pending.values()) waiting.reject(new Error(`the agent's process exited (${code ?? signal}):\n${output}`));
    pending.clear();
  });
  await Promise.race([probeReady, exited.then(({ code, signal }) => Promise.reject(new Error(`the agent's process exited at start (${code ?? signal}):\n${output}`)))]);

  const request = <T>(type: string, payload: Record<string, unknown> = {}, timeoutMs = 30_000) =>
    new Promise<T>((resolve, reject) => {
      const id = ++ids;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`the agent's process did not answer ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      child.send({ ...payload, id, type });
    });

  return {
    pid: child.pid!,
    request,
    stats: (resetLag = false) => request<ProbeStats>("stats", { resetLag }),
    faults,
    onEvent: (listener) => listeners.push(listener),
    exited,
    output: () => output,
    async stop(withinMs = 8000) {
      if (child.exitCode === null && child.signalCode === null) {
        const timer = setTimeout(() => child.kill("SIGKILL"), withinMs);
        await request("stop", {}, withinMs).catch(() => undefined);
        const result = await exited;
        clearTimeout(timer);
        return result;
      }
      return exited;
    },
  };
}
