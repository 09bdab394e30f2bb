// The STATUS= line `systemctl status xmpp-device-agent` shows: the health level, then the roster's status line.
import type { HealthSnapshot } from "../health/monitor.js";
import { statusLine } from "../health/status-line.js";

export function unitStatus({ state, sample }: HealthSnapshot): string {
  return `${state.level}: ${statusLine({ level: state.level, reasons: state.reasons, sample })}`;
}
