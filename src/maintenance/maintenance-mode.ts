// Maintenance mode: while silenced the device's <show> stays where it was when silencing began, and the
// status line says "silenced until 14:30 UTC (reason)". Ends by command or when the time is up.
import type { Level } from "../health/level.js";
import { formatUptime } from "../health/status-line.js";

export interface Silence {
  until: number;
  reason: string;
  level: Level;
}

/** "14:30 UTC", with the date in front when it is another day: operators read it far from the device's zone. */
export function clockTime(ms: number, now = ms): string {
  const at = new Date(ms).toISOString();
  const sameDay = at.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return `${sameDay ? "" : `${at.slice(0, 10)} `}${at.slice(11, 16)} UTC`;
}

/** "silenced until 14:30 UTC (firmware update)"; given `now`, also the time left: "..., 25 min left (...)". */
export function silenceNote(s: Silence, now?: number): string {
  const minutes = now === undefined ? null : Math.max(0, Math.ceil((s.until - now) / 60_000));
  const left = minutes === null ? "" : `, ${minutes < 60 ? `${minutes} min` : formatUptime(minutes * 60)} left`;
  return `silenced until ${clockTime(s.until, now ?? Date.now())}${left}${s.reason ? ` (${s.reason})` : ""}`;
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
