// What bench/pizero.bench.ts and bench/memory.bench.ts share: a throwaway Prosody on loopback, the agent as the
// unit runs it (`node --jitless --no-expose-wasm dist/cli.js run`, default interval and log level) and a bare
// @xmpp/client process with node's default flags (bench/online-bare-client.ts), one operator subscribed to both.
import { xml } from "@xmpp/client";
import { startProsody, type ThrowawayProsody } from "../test/servers/prosody/throwaway.js";
import { connectPeer, isPresenceFrom, type Peer } from "../test/support/peer.js";
import { BARE_CLIENT, CLI, startNode, type ChildRun } from "./online-process.js";
import { fastScramInThisProcess } from "./queries-operators.js";

/** The unit's ExecStart flags (systemd/xmpp-device-agent.service). */
export const UNIT_FLAGS = ["--jitless", "--no-expose-wasm"];

export interface Contender {
  name: string;
  jid: string;
  start(cgroupProcs?: string): ChildRun;
}

export interface Scene {
  agent: Contender;
  floor: Contender;
  operator: Peer;
  /** ms from start(...) to the operator seeing the contender's available presence; the child still running. */
  online(c: Contender, cgroupProcs?: string): Promise<{ ms: number; child: ChildRun }>;
  /** Stops it and waits until the operator sees it unavailable. */
  offline(c: Contender, child: ChildRun): Promise<void>;
  stop(): Promise<void>;
}

export async function startScene(): Promise<Scene> {
  fastScramInThisProcess();
  const prosody: ThrowawayProsody = await startProsody();
  const peers: Peer[] = [];
  try {
    const device = await prosody.register("device", "device-pw");
    const floorJid = await prosody.register("floor", "floor-pw");
    const operatorJid = await prosody.register("operator", "operator-pw");
    const operator = await connectPeer(prosody.service, operatorJid, "operator-pw", { acceptFrom: device });
    peers.push(operator);
    // The operator subscribes to the bare client's account once; the agent asks by itself at its first login
    const floorPeer = await connectPeer(prosody.service, floorJid, "floor-pw", { acceptFrom: operatorJid });
    await operator.send(xml("presence", { to: floorJid, type: "subscribe" }));
    await operator.waitFor("the floor's approval", isPresenceFrom(floorJid, "subscribed"));
    await floorPeer.stop();
    const agent: Contender = {
      name: `agent: \`node ${UNIT_FLAGS.join(" ")} dist/cli.js run\``,
      jid: device,
      start: (procs) => startNode(CLI, ["run"], { XMPP_SERVICE: prosody.service, XMPP_JID: device, XMPP_PASSWORD: "device-pw", AGENT_OPERATORS: operatorJid }, UNIT_FLAGS, procs),
    };
    const floor: Contender = {
      name: "bare @xmpp/client: `node bench/online-bare-client.js`",
      jid: floorJid,
      start: (procs) => startNode(BARE_CLIENT, [], { XMPP_SERVICE: prosody.service, XMPP_JID: floorJid, XMPP_PASSWORD: "floor-pw" }, [], procs),
    };
    const scene: Scene = {
      agent,
      floor,
      operator,
      async online(c, procs) {
        const since = operator.received.length;
        const t0 = performance.now();
        const child = c.start(procs);
        try {
          await operator.waitFor(`${c.jid}'s presence`, isPresenceFrom(c.jid), 60_000, since);
        } catch (err) {
          await child.stop();
          throw new Error(`${(err as Error).message}\n${child.output().slice(-2000)}`);
        }
        return { ms: performance.now() - t0, child };
      },
      async offline(c, child) {
        const gone = operator.waitFor(`${c.jid} unavailable`, isPresenceFrom(c.jid, "unavailable"), 10_000).catch(() => undefined);
        await child.stop(8000);
        await gone;
      },
      async stop() {
        await Promise.all(peers.map((p) => p.stop()));
        await prosody.stop();
      },
    };
    // The agent's first login sets up the operator's subscription: done once here, left out of every measure
    await scene.offline(agent, (await scene.online(agent)).child);
    return scene;
  } catch (err) {
    await Promise.all(peers.map((p) => p.stop()));
    await prosody.stop();
    throw err;
  }
}
