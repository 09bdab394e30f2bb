// XEP-0050 Ad-Hoc Commands, to operators: the list under disco#items of the commands node, each command's
// disco#info, and execution through sessions. https://xmpp.org/extensions/xep-0050.html
// A stranger sees an empty list (XEP-0050 2.2: the list may differ per requester, as servers show admin
// commands to admins only) and gets <forbidden/> for a command's info and for any execute.
import { xml, type IqCallee } from "@xmpp/client";
import type { Logger } from "../../log.js";
import type { OperatorPolicy } from "../../roster/operators.js";
import { bareJid } from "../../jid.js";
import type { Disco } from "../disco.js";
import { NS_DATA } from "../forms.js";
import { forbidden } from "../guard.js";
import { NS_COMMANDS, type AdhocCommand } from "./command.js";
import { commandSessions, SESSION_RULES, type SessionRules } from "./sessions.js";
import { commandElement, commandError, readRequest } from "./stanza.js";

export interface AdhocDeps {
  iqCallee: IqCallee;
  disco: Disco;
  policy: OperatorPolicy;
  log: Logger;
  commands: AdhocCommand[];
  rules?: SessionRules;
  now?: () => number;
}

export function adhocCommands({ iqCallee, disco, policy, log, commands, rules = SESSION_RULES, now = Date.now }: AdhocDeps) {
  const sessions = commandSessions({ commands, rules, now });
  // XEP-0050 1: commands imply data forms
  disco.addFeature(NS_COMMANDS, NS_DATA);
  disco.addNode(NS_COMMANDS, {
    info: () => [xml("identity", { category: "automation", type: "command-list", name: "Commands" })],
    items: (from, to) => (policy.isOperator(from) ? commands.map((c) => xml("item", { jid: to, node: c.node, name: c.name })) : []),
  });
  for (const command of commands) {
    // XEP-0050 2.2: the command-node identity and the commands feature; forbidden to those who may not run it
    disco.addNode(command.node, {
      info: (from) =>
        policy.isOperator(from)
          ? [
              xml("identity", { category: "automation", type: "command-node", name: command.name }),
              xml("feature", { var: NS_COMMANDS }),
              xml("feature", { var: NS_DATA }),
            ]
          : forbidden(),
    });
  }

  iqCallee.set(NS_COMMANDS, "command", async (ctx) => {
    const from = String(ctx.from);
    if (!policy.isOperator(from)) return forbidden();
    const request = readRequest(ctx.element, from, ctx.stanza.attrs["xml:lang"] as string | undefined);
    const outcome = await sessions.handle(request);
    const fields = { from: bareJid(from), node: request.node, action: request.action ?? "execute" };
    if (!outcome.ok) {
      log.info({ ...fields, failure: outcome.failure }, "ad-hoc command refused");
      return commandError(outcome.failure, outcome.text);
    }
    log.info({ ...fields, status: outcome.status }, "ad-hoc command");
    return commandElement(outcome);
  });

  return { openSessions: sessions.openCount };
}
