// ejabberd's readiness lines, for test/servers/throwaway/readiness.ts's whyNotReady. Another program on our port makes
// ejabberd 23.01 log "Failed to open socket" and its application fail to start; the VM exits.
import { LOOPBACK } from "../throwaway/loopback.js";
import type { ServerLogLines } from "../throwaway/readiness.js";

export const ejabberdLogLines = (port: number): ServerLogLines => ({
  // ejabberd_listener.erl: ?INFO_MSG("Start accepting ~ts connections at ~ts for ~p", ...)
  listening: `Start accepting TCP connections at ${LOOPBACK}:${port} for ejabberd_c2s`,
  failures: [
    [`Failed to open socket at ${LOOPBACK}:${port}`, `could not listen on ${LOOPBACK}:${port}`],
    ["Failed to start ejabberd application", "failed to start"],
  ],
  telling: (line) => /^\S+ \S+ \[(warning|error|critical)\]/.test(line),
});
