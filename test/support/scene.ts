// The agent online against a throwaway server (Prosody, or ejabberd with XMPP_TEST_SERVER), as the integration
// tests meet it: the device's account, its operators logged in (each accepts the device's subscription unless
// told not to), a stranger, and the agent started in-process on a scripted sampler with its log lines kept. Every account's password is its name
// followed by "-pass". stop() takes it all down, agent first, and checks the device's password never reached
// the log: the secrets guarantee, for every test that uses a scene.
import assert from "node:assert/strict";
import type { Element } from "@xmpp/client";
import { startServer, type ThrowawayServer } from "./server.js";
import { startAgent, type Agent } from "../../src/agent.js";
import { loadConfig, type AgentConfig } from "../../src/config/load.js";
import { createLogger } from "../../src/log.js";
import type { HealthSample } from "../../src/sampling/sample.js";
import { connectPeer, isPresenceFrom, type Peer } from "./peer.js";
import { scriptedSampler } from "./scripted-sampler.js";
import { logSink } from "./log-sink.js";

const DEVICE_PASSWORD = "device-secret-1";

/** Someone logged in to the test's server as `name`@localhost. */
export interface Login {
  name: string;
  resource?: string;
  /** False for someone who leaves the device's subscription request unanswered. */
  accepts?: boolean;
  /** False for an operator's account the scene does not log in: an independent peer (test/interop) does. */
  online?: boolean;
}

export interface SceneOptions {
  /** The operators, logged in before the agent starts; the first is `operator`. Default: one named "operator". */
  operators?: Login[];
  /** Whether "stranger" is logged in too; the account exists either way. Default true. */
  stranger?: boolean;
  /** More of the agent's environment (AGENT_INTERVAL, XMPP_RESOURCE, ...). */
  env?: Record<string, string>;
  /** Settings that have no environment variable. */
  configure?(config: AgentConfig): void;
  /** What the scripted sampler reads until a test sets other readings. */
  readings?: Partial<HealthSample>;
  version?: string;
  /** What the agent connects through instead of straight to the server, e.g. a TCP proxy that breaks the link. */
  link?(prosody: ThrowawayServer): Promise<{ service: string; close(): Promise<void> }>;
  /** Prosody's smacks_hibernation_time: 30 lets the agent resume its sessions there (src/xmpp/login-loop.ts). */
  prosodyHibernationSeconds?: number;
}

export interface Scene {
  prosody: ThrowawayServer;
  device: string;
  /** The device's full JID, from its first presence. */
  deviceFull: string;
  /** That first presence, as the first operator got it. */
  presence: Element;
  operator: Peer;
  operators: Peer[];
  operatorJid: string;
  /** Throws when the scene was started with `stranger: false`. */
  stranger: Peer;
  strangerJid: string;
  agent: Agent;
  /** Date.now() just before the agent started. */
  startedAt: number;
  health: ReturnType<typeof scriptedSampler>;
  logs: ReturnType<typeof logSink>;
  /** Logs one more client in; it is stopped with the scene. */
  login(who: Login): Promise<Peer>;
  /** Stops the agent and starts a new one with the same config and sampler: what survives a restart. */
  restartAgent(): Promise<Agent>;
  stop(): Promise<void>;
}

export async function startScene(options: SceneOptions = {}): Promise<Scene> {
  const { operators: logins = [{ name: "operator" }], version = "test" } = options;
  const health = scriptedSampler(options.readings);
  const logs = logSink();
  const peers: Peer[] = [];
  let link: { service: string; close(): Promise<void> } | undefined;
  let agent: Agent | undefined;
  const prosody = await startServer({ prosodyHibernationSeconds: options.prosodyHibernationSeconds });
  const stopAll = async () => {
    await agent?.stop("test over");
    for (const peer of peers) await peer.stop();
    await link?.close();
    await prosody.stop();
  };

  try {
    const device = await prosody.register("device", DEVICE_PASSWORD);
    const login = async ({ name, resource, accepts = true }: Login) => {
      const jid = `${name}@${prosody.domain}`;
      const peer = await connectPeer(prosody.service, jid, `${name}-pass`, { resource, acceptFrom: accepts ? device : undefined });
      peers.push(peer);
      return peer;
    };
    const register = (name: string) => prosody.register(name, `${name}-pass`);
    const [strangerJid, ...operatorJids] = await Promise.all(["stranger", ...logins.map((l) => l.name)].map(register));
    const operators: Peer[] = [];
    for (const who of logins) if (who.online !== false) operators.push(await login(who));
    const stranger = options.stranger === false ? null : await login({ name: "stranger", accepts: false });
    link = await options.link?.(prosody);

    const config = loadConfig({
      env: {
        XMPP_SERVICE: link?.service ?? prosody.service,
        XMPP_JID: device,
        XMPP_PASSWORD: DEVICE_PASSWORD,
        AGENT_OPERATORS: operatorJids.join(","),
        ...options.env,
      },
    });
    options.configure?.(config);
    const startedAt = Date.now();
    const start = () => startAgent({ config, password: DEVICE_PASSWORD, log: createLogger("debug", logs.stream), version, sampler: health.sampler });
    agent = await start();
    const operator = operators[0]!;
    const presence = await operator.waitFor("the device's presence", isPresenceFrom(device), 15_000);

    return {
      prosody,
      device,
      deviceFull: String(presence.attrs.from),
      presence,
      operator,
      operators,
      operatorJid: operatorJids[0]!,
      strangerJid: strangerJid!,
      get agent() {
        return agent!;
      },
      async restartAgent() {
        await agent?.stop("restart");
        agent = undefined;
        agent = await start();
        return agent;
      },
      startedAt,
      health,
      logs,
      login,
      get stranger() {
        return stranger ?? assert.fail("this scene has no stranger logged in (stranger: false)");
      },
      async stop() {
        await stopAll();
        assert.equal(logs.text().includes(DEVICE_PASSWORD), false, "the password appeared in the logs");
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
