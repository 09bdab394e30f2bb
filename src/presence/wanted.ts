// Health and silence -> the presence the device should show: the health level and its status line, or while an
// operator's silence lasts, the level it was silenced at, with "silenced until 14:30 (reason)" and no reasons.
// Pure; the publisher (publisher.ts) decides when it goes out.
import type { HealthSnapshot } from "../health/monitor.js";
import type { Level } from "../health/level.js";
import { statusLine } from "../health/status-line.js";
import { silenceNote, type Silence } from "../maintenance/maintenance-mode.js";

export interface WantedPresence {
  level: Level;
  status: string;
  /** What the level is about (fleet.announce tells them); none while silenced. */
  reasons: string[];
}

export function wantedPresence({ state, sample }: HealthSnapshot, silence: Silence | null): WantedPresence {
  if (silence) {
    return { level: silence.level, status: statusLine({ level: "ok", reasons: [], sample, note: silenceNote(silence) }), reasons: [] };
  }
  return { level: state.level, status: statusLine({ level: state.level, reasons: state.reasons, sample }), reasons: state.reasons };
}
