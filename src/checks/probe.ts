// One run of one check, whatever its type. The probes do the I/O; a probe that throws is "unknown", never a crash.
import type { CheckSpec } from "./spec.js";
import type { ProbeOutcome } from "./result.js";
import { probeCommand } from "./probes/command.js";
import { probeFile } from "./probes/file.js";
import { probeHttp } from "./probes/http.js";
import { probeProcess } from "./probes/process.js";
import { probeSystemd } from "./probes/systemd.js";
import { probeTcp } from "./probes/tcp.js";

export async function runProbe(spec: CheckSpec, version: string): Promise<ProbeOutcome> {
  const timeoutMs = spec.timeout * 1000;
  try {
    switch (spec.type) {
      case "systemd":
        return await probeSystemd(spec, timeoutMs);
      case "process":
        return await probeProcess(spec);
      case "tcp":
        return await probeTcp(spec, timeoutMs);
      case "http":
        return await probeHttp(spec, timeoutMs, version);
      case "file":
        return await probeFile(spec);
      case "command":
        return await probeCommand(spec, timeoutMs);
    }
  } catch (err) {
    return { state: "unknown", text: `check failed to run: ${(err as Error).message.slice(0, 80)}` };
  }
}
