// /proc/net/dev -> byte counters per interface (proc(5)); rates need two snapshots.

export type NetCounters = Map<string, { rx: number; tx: number }>;

export function parseNetDev(text: string): NetCounters {
  const counters: NetCounters = new Map();
  // Two header lines, then "  iface: rxbytes rxpackets ... (8 rx fields) txbytes ..."
  for (const line of text.split("\n").slice(2)) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const iface = line.slice(0, colon).trim();
    const fields = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    const rx = fields[0];
    const tx = fields[8];
    if (iface === "lo" || rx === undefined || tx === undefined || !Number.isFinite(rx) || !Number.isFinite(tx)) continue;
    counters.set(iface, { rx, tx });
  }
  return counters;
}

/** Bytes per second between snapshots; null for an interface that is new or whose counter wrapped or reset. */
export function netRates(previous: NetCounters | null, next: NetCounters, seconds: number) {
  return [...next].map(([iface, now]) => {
    const before = previous?.get(iface);
    const rate = (a: number | undefined, b: number) =>
      a === undefined || seconds <= 0 || b < a ? null : (b - a) / seconds;
    return { iface, rxBytesPerSec: rate(before?.rx, now.rx), txBytesPerSec: rate(before?.tx, now.tx) };
  });
}
