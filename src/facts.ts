// One-off facts about the device (OS, model, serial) for `status`, XEP-0092 and the status form.
// systeminformation does this well across distributions and boards; it may spawn a few processes, once.
import si from "systeminformation";

export interface DeviceFacts {
  os: string;
  kernel: string;
  arch: string;
  model: string | null;
  serial: string | null;
}

const meaningful = (s: string | undefined) => (s && s !== "-" && s.trim() !== "" ? s.trim() : null);

export async function readDeviceFacts(): Promise<DeviceFacts> {
  const [os, system] = await Promise.all([si.osInfo(), si.system()]);
  return {
    os: [os.distro, os.release].filter(Boolean).join(" ") || "Linux",
    kernel: os.kernel,
    arch: os.arch,
    model: meaningful(system.model),
    serial: meaningful(system.serial),
  };
}

/** "Debian GNU/Linux 12 (Linux 6.1.0-rpi7, arm64)": what XEP-0092's <os> and the chat's `version` say. */
export function osText(facts: DeviceFacts | null): string {
  return facts ? `${facts.os} (Linux ${facts.kernel}, ${facts.arch})` : "Linux";
}
