// One-off facts about the device (OS, model, serial) for `status`, XEP-0092 and the status form.
// Read straight from the files they come from (os-release(5), the device tree, DMI) and os.release()/os.arch():
// systeminformation gave the same answers but cost 8 MiB RSS and a third of the start-up CPU on a slow core,
// for two facts read once (docs/benchmarks.md, pizero).
import { readFile } from "node:fs/promises";
import { arch, release } from "node:os";
import { join } from "node:path";

export interface DeviceFacts {
  os: string;
  kernel: string;
  arch: string;
  model: string | null;
  serial: string | null;
}

/** os-release(5): KEY=value lines, values optionally quoted with shell escapes. */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^\s*([A-Z0-9_]+)=(.*?)\s*$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\(["\\`$])/g, "$1");
    }
    fields[m[1]!] = value;
  }
  return fields;
}

/** "Debian GNU/Linux 12" from NAME and VERSION_ID, as `version` has always said; PRETTY_NAME if those are missing. */
export function osName(fields: Record<string, string>): string {
  const named = [fields.NAME, fields.VERSION_ID].filter(Boolean).join(" ");
  return named || fields.PRETTY_NAME || "Linux";
}

/** Device-tree strings end in NUL; DMI's have placeholders on boards whose maker filled nothing in. */
export function meaningful(s: string | null | undefined): string | null {
  const t = s?.replace(/\0+$/, "").trim();
  if (!t || t === "-" || /^(to be filled by o\.e\.m\.|default string|none|not specified|system product name)$/i.test(t)) return null;
  return t;
}

const readText = (path: string) => readFile(path, "utf8").catch(() => null);

/** `root`: "/" on a device; a fixture tree in tests. A Pi names itself in the device tree, a PC in DMI. */
export async function readDeviceFacts(root = "/"): Promise<DeviceFacts> {
  const at = (path: string) => readText(join(root, path));
  const [osRelease, dtModel, dmiModel, dtSerial, dmiSerial] = await Promise.all([
    at("etc/os-release").then((t) => t ?? at("usr/lib/os-release")),
    at("proc/device-tree/model"),
    at("sys/class/dmi/id/product_name"),
    at("proc/device-tree/serial-number"),
    at("sys/class/dmi/id/product_serial"), // root only: null for the service's user
  ]);
  return {
    os: osName(parseOsRelease(osRelease ?? "")),
    kernel: release(),
    arch: arch(),
    model: meaningful(dtModel) ?? meaningful(dmiModel),
    serial: meaningful(dtSerial) ?? meaningful(dmiSerial),
  };
}

/** "Debian GNU/Linux 12 (Linux 6.1.0-rpi7, arm64)": what XEP-0092's <os> and the chat's `version` say. */
export function osText(facts: DeviceFacts | null): string {
  return facts ? `${facts.os} (Linux ${facts.kernel}, ${facts.arch})` : "Linux";
}
