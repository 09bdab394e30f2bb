// /proc/meminfo -> memory and swap use (proc(5)). Values there are KiB.

export interface MemoryUse {
  totalBytes: number;
  availableBytes: number;
  usedPercent: number;
  swapTotalBytes: number | null;
  swapPercent: number | null;
}

export function parseMeminfo(text: string): MemoryUse | null {
  const kib = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
    if (match) kib.set(match[1]!, Number(match[2]));
  }
  const total = kib.get("MemTotal");
  if (!total) return null;
  // MemAvailable is the kernel's own estimate (3.14+); older kernels get the classic free + buffers + cached
  const available =
    kib.get("MemAvailable") ?? (kib.get("MemFree") ?? 0) + (kib.get("Buffers") ?? 0) + (kib.get("Cached") ?? 0);
  const swapTotal = kib.get("SwapTotal");
  const swapFree = kib.get("SwapFree");
  return {
    totalBytes: total * 1024,
    availableBytes: available * 1024,
    usedPercent: ((total - available) / total) * 100,
    swapTotalBytes: swapTotal === undefined ? null : swapTotal * 1024,
    swapPercent: swapTotal && swapFree !== undefined ? ((swapTotal - swapFree) / swapTotal) * 100 : swapTotal === 0 ? 0 : null,
  };
}
