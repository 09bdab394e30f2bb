// Monitoring Plugins performance data: `'label'=value[UOM];[warn];[crit];[min];[max]`, space-separated, after the
// first `|` of the output. https://www.monitoring-plugins.org/doc/guidelines.html#AEN201
// Pure; a malformed item is skipped, never a failure of the check.

export interface PerfDatum {
  label: string;
  value: number;
  /** "s", "ms", "us", "%", "B", "KB", "MB", "TB", "c" or "" (a plain number). */
  unit: string;
  warn: string | null;
  crit: string | null;
  min: number | null;
  max: number | null;
}

const ITEM = /^(?:'((?:[^']|'')+)'|([^\s'=]+))=([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)([a-zA-Z%]*)((?:;[^;\s]*){0,4})/;

export function parsePerfData(text: string): PerfDatum[] {
  const data: PerfDatum[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    const match = ITEM.exec(rest);
    if (!match) {
      // Skip to the next item: past this word, or past a quoted label with spaces
      const next = rest.search(/\s/);
      if (next < 0) break;
      rest = rest.slice(next).trimStart();
      continue;
    }
    const [whole, quoted, plain, value, unit, tail] = match as unknown as [string, string | undefined, string | undefined, string, string, string];
    const [warn, crit, min, max] = tail.split(";").slice(1).map((s) => (s === "" ? null : s));
    const number = (s: string | null | undefined) => (s === null || s === undefined || !Number.isFinite(Number(s)) ? null : Number(s));
    data.push({
      label: quoted !== undefined ? quoted.replace(/''/g, "'") : plain!,
      value: Number(value),
      unit,
      warn: warn ?? null,
      crit: crit ?? null,
      min: number(min),
      max: number(max),
    });
    rest = rest.slice(whole.length).trimStart();
  }
  return data;
}

/** A plugin's output: the text of its first line, and the perf data of every line (after each `|`). */
export function splitPluginOutput(output: string): { text: string; perf: PerfDatum[] } {
  const lines = output.split(/\r?\n/);
  const [first = "", firstPerf = ""] = (lines[0] ?? "").split("|");
  // Long output: perf data continues after a `|` on any later line
  const laterPerf = lines
    .slice(1)
    .map((line) => line.split("|")[1] ?? "")
    .filter(Boolean);
  return { text: first.trim(), perf: [firstPerf, ...laterPerf].flatMap(parsePerfData) };
}

/** Plugin exit codes (the guidelines' "Plugin Return Codes"); anything else is unknown too. */
export function pluginState(exitCode: number | null): "ok" | "warn" | "crit" | "unknown" {
  return exitCode === 0 ? "ok" : exitCode === 1 ? "warn" : exitCode === 2 ? "crit" : "unknown";
}
