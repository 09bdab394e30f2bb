// XEP-0050 4.3 sessions: a multi-stage command lives under a sessionid between one requester (full JID)
// and us until it completes, is canceled, or sits idle too long. No timers: idle sessions are swept when the
// next request arrives, with the clock passed in. https://xmpp.org/extensions/xep-0050.html#impl-session
import { randomUUID } from "node:crypto";
import type { Element } from "@xmpp/client";
import type { SubmittedForm } from "../forms.js";
import { bareJid } from "../../jid.js";
import { clip } from "../clip.js";
import type { AdhocCommand, Executing, Note, Stage, StageAction } from "./command.js";

export interface SessionRules {
  /** An executing session unused this long is gone; its id then answers session-expired. */
  idleMs: number;
  /** Open sessions per bare JID; one more is refused (XEP-0050 4.3: not-allowed). */
  maxPerRequester: number;
  /** Ended ids remembered, so a late use is told "expired" rather than "unknown". */
  rememberEnded: number;
}

export const SESSION_RULES: SessionRules = { idleMs: 10 * 60_000, maxPerRequester: 5, rememberEnded: 256 };

const ACTIONS = ["execute", "cancel", "prev", "next", "complete"] as const;
type Action = (typeof ACTIONS)[number];

export interface AdhocRequest {
  from: string;
  node: string;
  sessionid?: string;
  action?: string;
  lang?: string;
  form: SubmittedForm | null;
}

export type AdhocFailure = "malformed-action" | "bad-action" | "bad-locale" | "bad-payload" | "bad-sessionid" | "session-expired" | "item-not-found" | "too-many-sessions";

export type AdhocOutcome =
  | {
      ok: true;
      node: string;
      sessionid: string;
      status: "executing" | "completed" | "canceled";
      notes: Note[];
      payload: Element[];
      actions?: { allowed: StageAction[]; execute: StageAction };
    }
  | { ok: false; failure: AdhocFailure; text: string };

interface OpenSession {
  node: string;
  owner: string;
  lang: string | undefined;
  /** The stages shown so far, the current one last: "prev" pops back. */
  stages: Executing[];
  lastUsed: number;
}

const fail = (failure: AdhocFailure, text: string): AdhocOutcome => ({ ok: false, failure, text });

export function commandSessions({
  commands,
  rules = SESSION_RULES,
  now = Date.now,
  newId = randomUUID,
}: {
  commands: AdhocCommand[];
  rules?: SessionRules;
  now?: () => number;
  newId?: () => string;
}) {
  const byNode = new Map(commands.map((c) => [c.node, c]));
  const open = new Map<string, OpenSession>();
  const ended = new Map<string, string>(); // id -> owner

  const end = (id: string, owner: string) => {
    open.delete(id);
    ended.set(id, owner);
    for (const oldest of ended.keys()) {
      if (ended.size <= rules.rememberEnded) break;
      ended.delete(oldest);
    }
  };
  const sweep = (at: number) => {
    for (const [id, s] of open) if (at - s.lastUsed >= rules.idleMs) end(id, s.owner);
  };
  const openBy = (requester: string) => [...open.values()].filter((s) => bareJid(s.owner) === bareJid(requester)).length;

  function show(node: string, sessionid: string, stage: Stage): AdhocOutcome {
    const base = { ok: true as const, node, sessionid, notes: stage.notes ?? [], payload: stage.payload ?? [] };
    return stage.status === "completed"
      ? { ...base, status: "completed" }
      : { ...base, status: "executing", actions: { allowed: stage.actions, execute: stage.execute } };
  }

  async function begin(command: AdhocCommand, req: AdhocRequest): Promise<AdhocOutcome> {
    const stage = await command.start(req.from);
    const id = newId();
    if (stage.status === "completed") {
      end(id, req.from);
      return show(command.node, id, stage);
    }
    if (openBy(req.from) >= rules.maxPerRequester) {
      return fail("too-many-sessions", `${rules.maxPerRequester} command sessions are open already: complete or cancel one`);
    }
    open.set(id, { node: command.node, owner: req.from, lang: req.lang, stages: [stage], lastUsed: now() });
    return show(command.node, id, stage);
  }

  async function proceed(id: string, session: OpenSession, action: Action, req: AdhocRequest): Promise<AdhocOutcome> {
    if (action === "cancel") {
      end(id, session.owner);
      return { ok: true, node: session.node, sessionid: id, status: "canceled", notes: [], payload: [] };
    }
    const current = session.stages[session.stages.length - 1]!;
    const chosen = action === "execute" ? current.execute : action;
    if (!current.actions.includes(chosen) || (chosen === "prev" && session.stages.length < 2)) {
      return fail("bad-action", `"${action}" is not allowed at this stage; allowed: ${[...current.actions, "cancel"].join(", ")}`);
    }
    if (chosen === "prev") {
      session.stages.pop();
      return show(session.node, id, session.stages[session.stages.length - 1]!);
    }
    const next = await current.submit({ action: chosen, form: req.form, from: req.from });
    if ("refused" in next) return fail(next.refused, next.text);
    if (next.status === "completed") end(id, session.owner);
    else session.stages.push(next);
    return show(session.node, id, next);
  }

  return {
    async handle(req: AdhocRequest): Promise<AdhocOutcome> {
      const at = now();
      sweep(at);
      const action = (req.action ?? "execute") as Action;
      if (!ACTIONS.includes(action)) return fail("malformed-action", `unknown action "${clip(req.action ?? "")}"; one of ${ACTIONS.join(", ")}`);
      const command = byNode.get(req.node);
      if (!command) return fail("item-not-found", `no command "${clip(req.node)}"`);
      if (req.sessionid === undefined) {
        return action === "execute" ? begin(command, req) : fail("bad-action", `a command starts with "execute", not "${action}"`);
      }
      const session = open.get(req.sessionid);
      // Another requester's id, or one never given out: say nothing about it (XEP-0050 4.3: one requester/responder pair)
      if (!session) {
        return ended.get(req.sessionid) === req.from
          ? fail("session-expired", "this command session has ended (completed, canceled, or idle too long): start it again")
          : fail("bad-sessionid", "no such command session");
      }
      if (session.owner !== req.from || session.node !== req.node) return fail("bad-sessionid", "no such command session");
      // XEP-0050 3.5: a session keeps the language it started with
      if (req.lang && session.lang && req.lang.toLowerCase() !== session.lang.toLowerCase()) {
        return fail("bad-locale", `this session speaks "${clip(session.lang)}", not "${clip(req.lang)}"`);
      }
      session.lastUsed = at;
      return proceed(req.sessionid, session, action, req);
    },
    /** Open sessions, for tests and logs. */
    openCount: () => open.size,
  };
}
