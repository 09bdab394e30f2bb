// statfs(2) numbers -> disk use as df(1) shows it: used / (used + available to non-root).

export interface StatfsNumbers {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
}

export function diskUse(s: StatfsNumbers) {
  const total = s.blocks * s.bsize;
  const used = (s.blocks - s.bfree) * s.bsize;
  const usable = used + s.bavail * s.bsize;
  return {
    totalBytes: total,
    usedBytes: used,
    // df rounds up; so do we, so "99.1%" never shows as 99 when df says 100
    usedPercent: usable > 0 ? Math.ceil((used / usable) * 1000) / 10 : null,
  };
}
