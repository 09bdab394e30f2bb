// Malformed XEP-0004 submissions for the `silence` command, each with what XEP-0050 and the README say the
// device answers, and a misbehaving operator's walk through one command session ("dance"): bad actions,
// other sessions' ids, a changed language, forms of every wrong shape, a session used after it ended.
import { xml, type Element } from "@xmpp/client";
import type { Peer } from "../../support/peer.js";
import type { Rng } from "./hostile-stanzas.js";

const NS_COMMANDS = "http://jabber.org/protocol/commands";
const NS_DATA = "jabber:x:data";
const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

/** What the device answers: an error (condition/XEP-0050 condition), or a command status (+ an error note). */
export type Outcome = string;
/** bad-payload: no form to read; note: the form again with an error note; completed: silenced. */
type Expect = "bad-payload" | "note" | "completed";

const field = (name: string | null, ...values: string[]) => xml("field", name === null ? {} : { var: name }, ...values.map((v) => xml("value", {}, v)));
const form = (type: string | null, ...fields: Element[]) => xml("x", { xmlns: NS_DATA, ...(type ? { type } : {}) }, ...fields);

export function malformedForm(rng: Rng): { form: Element | null; expect: Expect; label: string } {
  const wrongMinutes = ["abc", "-5", "0", "1.5", "1e3", "99999999999999999999", "", " ", "١٢", "60 minutes", "0x10", "10081"];
  const variants: (() => { form: Element | null; expect: Expect; label: string })[] = [
    () => ({ form: null, expect: "bad-payload", label: "no form" }),
    () => ({ form: xml("x", { xmlns: `${NS_DATA}#bogus`, type: "submit" }, field("minutes", "5")), expect: "bad-payload", label: "form in another namespace" }),
    () => ({ form: form(rng.pick(["form", "result", "bogus", null]), field("minutes", "5")), expect: "bad-payload", label: "form of the wrong type" }),
    () => ({ form: form("submit"), expect: "note", label: "no fields" }),
    () => ({ form: form("submit", field("reason", rng.words(3))), expect: "note", label: "minutes missing" }),
    () => ({ form: form("submit", field("minutes", rng.pick(wrongMinutes))), expect: "note", label: "minutes of the wrong type" }),
    () => ({ form: form("submit", field("minutes", "9".repeat(rng.int(50_000, 250_000)))), expect: "note", label: "huge minutes" }),
    () => ({ form: form("submit", field("minutes", "15"), field("reason", "why ".repeat(rng.int(12_000, 60_000)))), expect: "completed", label: "huge reason" }),
    () => ({ form: form("submit", field(null, "x"), field("minutes", "15")), expect: "completed", label: "a field without var" }),
    () => ({ form: form("submit", field("minutes", "20", ...Array.from({ length: 1000 }, (_, i) => String(i)))), expect: "completed", label: "1,000 values" }),
    () => ({ form: form("cancel", field("minutes", "15")), expect: "completed", label: "type cancel (read as submit)" }),
    () => ({ form: form("submit", field("minutes", "15"), field("minutes", "abc")), expect: "note", label: "minutes twice, the last wrong" }),
    () => ({ form: form("submit", field("__proto__", "1"), field("constructor", "1"), field("minutes", "soon")), expect: "note", label: "prototype names" }),
    () => ({ form: form("submit", field("minutes", String(rng.int(1, 10080))), field("reason", "drill")), expect: "completed", label: "valid" }),
  ];
  return rng.pick(variants)();
}

/** The device's answer to an ad-hoc request, as a short string: "error bad-request/bad-payload", "executing+note". */
export function outcomeOf(reply: Element): Outcome {
  if (reply.attrs.type === "error") {
    const error = reply.getChild("error");
    const condition = error?.getChildElements().find((c) => c.attrs.xmlns === NS_STANZAS && c.name !== "text")?.name ?? "none";
    const specific = error?.getChildElements().find((c) => c.attrs.xmlns === NS_COMMANDS)?.name;
    return `error ${condition}${specific ? `/${specific}` : ""}`;
  }
  const command = reply.getChild("command", NS_COMMANDS);
  const notes = command?.getChildren("note").some((n) => n.attrs.type === "error") ? "+note" : "";
  return `${command?.attrs.status ?? "no command"}${notes}`;
}

export interface DanceTally {
  stanzas: number;
  outcomes: Map<Outcome, number>;
  mismatches: string[];
}

let ids = 0;
async function ask(peer: Peer, iq: Element): Promise<Element> {
  const id = `dance-${++ids}`;
  iq.attrs.id = id;
  const answer = peer.waitFor(`the answer to ${id}`, (s) => s.is("iq") && s.attrs.id === id, 15_000, peer.received.length);
  await peer.send(iq);
  return answer;
}

/** One misbehaving walk through a `silence` session; every answer is checked against what it should be. */
export async function adhocDance(rng: Rng, peer: Peer, deviceFull: string, tally: DanceTally): Promise<void> {
  // A session started in one language refuses requests in another (XEP-0050 3.5)
  const lang = rng.pick(["en", "en-US"]);
  // Every request says its language, as a client does; "another language" changes it
  const command = (attrs: Record<string, string | undefined>, ...payload: Element[]) =>
    xml("iq", { type: "set", to: deviceFull }, xml("command", { xmlns: NS_COMMANDS, node: "silence", "xml:lang": lang, ...attrs }, ...payload));
  const step = async (what: string, iq: Element, expected: Outcome[]) => {
    const outcome = outcomeOf(await ask(peer, iq));
    tally.stanzas++;
    tally.outcomes.set(outcome, (tally.outcomes.get(outcome) ?? 0) + 1);
    if (!expected.includes(outcome)) tally.mismatches.push(`${what}: got ${outcome}, expected ${expected.join(" or ")}`);
    return outcome;
  };

  const started = await ask(peer, command({}));
  tally.stanzas++;
  const sessionid = started.getChild("command", NS_COMMANDS)?.attrs.sessionid as string | undefined;
  if (started.attrs.type === "error" || !sessionid) {
    // A new session is never refused: an old one is replaced or the least recently used ends
    tally.mismatches.push(`execute silence: got ${outcomeOf(started)}`);
    return;
  }
  let open = true;
  const ended = ["error not-allowed/session-expired"];
  for (let i = rng.int(1, 4); i > 0; i--) {
    const choice = rng.int(0, 6);
    if (choice <= 2) {
      const submission = malformedForm(rng);
      const action = rng.pick(["complete", "execute", undefined]);
      const expected = !open ? ended : { "bad-payload": ["error bad-request/bad-payload"], note: ["executing+note"], completed: ["completed"] }[submission.expect];
      const outcome = await step(`submit (${submission.label})`, command({ sessionid, action }, ...(submission.form ? [submission.form] : [])), expected);
      if (outcome === "completed" || outcome.startsWith("error")) open = false;
    } else if (choice === 3) {
      const action = rng.pick(["next", "prev", "explode"]);
      // The silence form is one page: prev is refused, next means complete (here with no form: bad-payload)
      // An action that does not exist is malformed whatever the session's state; every error ends the session
      const expected = action === "explode" ? ["error bad-request/malformed-action"] : !open ? ended : [action === "next" ? "error bad-request/bad-payload" : "error bad-request/bad-action"];
      await step(`action ${action}`, command({ sessionid, action }), expected);
      open = false;
    } else if (choice === 4) {
      const expected = !open ? ended : ["error bad-request/bad-locale"];
      await step("another language", command({ sessionid, "xml:lang": "de" }, xml("x", { xmlns: NS_DATA, type: "submit" }, field("minutes", "x"))), expected);
      open = false;
    } else if (choice === 5) {
      // An ended session's owner is told it ended, whatever the node
      await step("the session id on another node", xml("iq", { type: "set", to: deviceFull }, xml("command", { xmlns: NS_COMMANDS, node: "status", sessionid, "xml:lang": lang })), open ? ["error bad-request/bad-sessionid"] : ended);
      open = false;
    } else {
      await step("a session id never given out", command({ sessionid: `${sessionid}-${rng.word()}`, action: "complete" }), ["error bad-request/bad-sessionid"]);
    }
  }
  if (rng.chance(0.03) && open) return; // left open: it expires after 10 idle minutes
  await step("cancel", command({ sessionid, action: "cancel" }), open ? ["canceled"] : ended);
  if (rng.chance(0.3)) await step("used after it ended", command({ sessionid, action: "complete" }, form("submit", field("minutes", "5"))), ended);
}
