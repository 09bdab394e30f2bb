// Small number helpers for benchmark tables.
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Three significant digits, so 0.0123 and 123 both read well in a table. */
export function sig(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  if (value === 0) return "0";
  return Number(value.toPrecision(3)).toString();
}

export function ratio(value: number, floor: number): string {
  return floor > 0 ? `${sig(value / floor)}x` : "n/a";
}
