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
/** systeminformation's guesses when it finds no board ("Docker Container" from /.dockerenv): not a model. */
const GUESSES = new Set(["Computer", "Docker Container", "Virtual machine", "WSL"]);

/** The board's model as the machine names it ("Raspberry Pi 4 Model B Rev 1.4"), or null. */
export function boardModel(raw: string | undefined): string | null {
  const model = meaningful(raw);
  return model === null || GUESSES.has(model) ? null : model;
}

export async function readDeviceFacts(): Promise<DeviceFacts> {
  const [os, system] = await Promise.all([si.osInfo(), si.system()]);
  return {
    os: [os.distro, os.release].filter(Boolean).join(" ") || "Linux",
    kernel: os.kernel,
    arch: os.arch,
    model: boardModel(system.model),
    serial: meaningful(system.serial),
  };
}

/** "Debian GNU/Linux 12 (Linux 6.1.0-rpi7, arm64)": what XEP-0092's <os> and the chat's `version` say. */
export function osText(facts: DeviceFacts | null): string {
  return facts ? `${facts.os} (Linux ${facts.kernel}, ${facts.arch})` : "Linux";
}
