// /proc/loadavg -> 1, 5 and 15 minute load averages (proc(5)).

export interface LoadAverage {
  load1: number;
  load5: number;
  load15: number;
}

export function parseLoadavg(text: string): LoadAverage | null {
  const fields = text.trim().split(/\s+/);
  if (fields.length < 3) return null;
  const [load1, load5, load15] = fields.slice(0, 3).map(Number);
  if (![load1, load5, load15].every((n) => n !== undefined && Number.isFinite(n))) return null;
  return { load1: load1!, load5: load5!, load15: load15! };
}
