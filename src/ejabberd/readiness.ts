// ejabberd's readiness lines, for src/prosody/readiness.ts's whyNotReady. Another program on our port makes
// ejabberd 23.01 log "Failed to open socket" and its application fail to start; the VM exits.
import { LOOPBACK } from "../prosody/loopback.js";

export const ejabberdLogLines = (port: number) => ({
  // ejabberd_listener.erl: ?INFO_MSG("Start accepting ~ts connections at ~ts for ~p", ...)
  listening: `Start accepting TCP connections at ${LOOPBACK}:${port} for ejabberd_c2s`,
  failures: [
    [`Failed to open socket at ${LOOPBACK}:${port}`, `could not listen on ${LOOPBACK}:${port}`],
    ["Failed to start ejabberd application", "failed to start"],
  ] as [string, string][],
});
