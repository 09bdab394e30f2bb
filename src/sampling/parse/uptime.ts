// /proc/uptime -> seconds since boot (proc(5)): "uptime idle".

export function parseUptime(text: string): number | null {
  const first = text.trim().split(/\s+/)[0];
  // Number("") is 0: an empty file must not read as "just booted"
  if (!first) return null;
  const seconds = Number(first);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}
