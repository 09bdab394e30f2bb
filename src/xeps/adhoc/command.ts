// What an XEP-0050 command is, apart from any XML: a node, a name, and stages. A one-stage command answers
// "completed" at once; a multi-stage one answers "executing" with a form and the actions the operator may
// take next. https://xmpp.org/extensions/xep-0050.html#impl-actions
import type { Element } from "@xmpp/client";
import type { SubmittedForm } from "../forms.js";

export const NS_COMMANDS = "http://jabber.org/protocol/commands";

/** The actions a stage can offer (XEP-0050 3.4 <actions/>); "execute" is an alias, "cancel" always allowed. */
export type StageAction = "prev" | "next" | "complete";

export interface Note {
  type: "info" | "warn" | "error";
  text: string;
}

export interface Submission {
  /** "execute" already resolved to the stage's default. */
  action: Exclude<StageAction, "prev">;
  form: SubmittedForm | null;
  from: string;
}

/** XEP-0050 6: the submission cannot be read at all; the session ends (start the command again). */
export interface PayloadRefused {
  refused: "bad-payload";
  text: string;
}

export interface Completed {
  status: "completed";
  notes?: Note[];
  payload?: Element[];
}

export interface Executing {
  status: "executing";
  notes?: Note[];
  payload: Element[];
  actions: StageAction[];
  /** What "execute" means at this stage: the default button. It must be one of `actions`. */
  execute: StageAction;
  /** Called for next/complete; "prev" is the session's job (it shows the stage before). */
  submit(submission: Submission): Stage | PayloadRefused | Promise<Stage | PayloadRefused>;
}

export type Stage = Completed | Executing;

export interface AdhocCommand {
  /** The disco#items node and the <command node=...> value (XEP-0050 3.1). */
  node: string;
  /** The label a client shows in its menu. */
  name: string;
  start(from: string): Stage | Promise<Stage>;
}

export const completed = (notes: Note[], payload: Element[] = []): Completed => ({ status: "completed", notes, payload });
