// `tcp` checks: does something accept a connection on host:port (the app's own port).
import { connect } from "node:net";
import type { ProbeOutcome } from "../result.js";
import { networkProblem } from "./network-problem.js";

export function probeTcp({ host, port }: { host: string; port: number }, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host: host.replace(/^\[|\]$/g, ""), port });
    const done = (outcome: ProbeOutcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done({ state: "failed", text: `no answer on port ${port} in ${timeoutMs / 1000} s` }), timeoutMs);
    socket.once("connect", () => done({ state: "ok", text: `port ${port} open` }));
    socket.once("error", (err: NodeJS.ErrnoException) => done({ state: "failed", text: networkProblem(err, port) }));
  });
}
