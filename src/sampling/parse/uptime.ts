// /proc/uptime -> seconds since boot (proc(5)): "uptime idle".

export function parseUptime(text: string): number | null {
  const seconds = Number(text.trim().split(/\s+/)[0]);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}
