// Maintenance mode: while silenced the device's <show> stays where it was when silencing began, and the
// status line says "silenced until 14:30 (reason)". Ends by command or when the time is up.
import type { Level } from "../health/level.js";

export interface Silence {
  until: number;
  reason: string;
  level: Level;
}

/** "14:30" in the device's local time: operators read it next to the device's name. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

export function silenceNote(s: Silence): string {
  return `silenced until ${clockTime(s.until)}${s.reason ? ` (${s.reason})` : ""}`;
}

export function maintenanceMode({ onChange, now = Date.now }: { onChange(): void; now?: () => number }) {
  let current: Silence | null = null;
  let timer: NodeJS.Timeout | null = null;
  const end = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const was = current;
    current = null;
    if (was) onChange();
    return was;
  };
  return {
    silence(minutes: number, reason: string, level: Level): Silence {
      if (timer) clearTimeout(timer);
      current = { until: now() + minutes * 60_000, reason, level };
      timer = setTimeout(end, minutes * 60_000);
      timer.unref();
      onChange();
      return current;
    },
    unsilence: end,
    current: () => current,
    stop() {
      if (timer) clearTimeout(timer);
    },
  };
}
