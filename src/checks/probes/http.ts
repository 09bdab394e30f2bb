// `http` checks: GET a URL and compare the status with the expected one. The body is read and thrown away
// (at most 64 KiB), so a keep-alive server is not left waiting; redirects are not followed (a 302 is a 302).
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { ProbeOutcome } from "../result.js";
import { networkProblem } from "./network-problem.js";

const MAX_BODY = 64 * 1024;

export function probeHttp({ url, expect }: { url: string; expect: number }, timeoutMs: number, version = "0"): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    let settled = false;
    const done = (outcome: ProbeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    const req = send(target, { method: "GET", headers: { "user-agent": `xmpp-device-agent/${version} (check)`, connection: "close" } }, (res) => {
      const status = res.statusCode ?? 0;
      let read = 0;
      res.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_BODY) res.destroy();
      });
      res.on("error", () => undefined);
      done(status === expect ? { state: "ok", text: `HTTP ${status}` } : { state: "failed", text: `HTTP ${status}, expected ${expect}` });
    });
    const timer = setTimeout(() => done({ state: "failed", text: `no answer in ${timeoutMs / 1000} s` }), timeoutMs);
    req.on("error", (err: NodeJS.ErrnoException) => done({ state: "failed", text: err.code?.startsWith("ERR_TLS") || /certificate/i.test(err.message) ? "TLS certificate refused" : networkProblem(err, target.port || (target.protocol === "https:" ? 443 : 80)) }));
    req.end();
  });
}
