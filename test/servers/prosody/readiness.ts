// Prosody's readiness lines, for test/servers/throwaway/readiness.ts's whyNotReady. Another program on our port makes
// Prosody log "Failed to open server port" and keep running with c2s "on no ports".
import { LOOPBACK } from "../throwaway/loopback.js";
import type { ServerLogLines } from "../throwaway/readiness.js";

export const prosodyLogLines = (port: number): ServerLogLines => ({
  listening: `Activated service 'c2s' on [${LOOPBACK}]:${port}`,
  failures: [["Activated service 'c2s' on no ports", `could not listen on ${LOOPBACK}:${port}`]],
  // Our own SIGTERM after a failed start is logged as a warning too
  telling: (line) => /\t(warn|error)\t/.test(line) && !line.includes("Received SIGTERM"),
});
