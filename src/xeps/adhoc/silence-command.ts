// `silence` (two stages: a form, then its submission) and `unsilence` (one stage): maintenance mode from a
// client's command menu, with the chat command's limits and words.
// A wrong value (missing, not a whole number, out of range) gets the form again with an error note, so the
// person stays in the dialog and fixes it; only a submission with no form at all is XEP-0050 6 bad-payload.
import type { Level } from "../../health/level.js";
import { silenceNote, type maintenanceMode } from "../../maintenance/maintenance-mode.js";
import { MAX_SILENCE_MINUTES, silenceMinutes, silenceReason } from "../../maintenance/silence-request.js";
import { formElement, singleValue, type FormField, type SubmittedForm } from "../forms.js";
import { clip } from "../clip.js";
import { completed, type AdhocCommand, type Executing, type Note } from "./command.js";

export type Maintenance = ReturnType<typeof maintenanceMode>;

function silenceFields(minutes: string, reason: string): FormField[] {
  return [
    { var: "minutes", type: "text-single", label: `Minutes (1-${MAX_SILENCE_MINUTES})`, required: true, values: [minutes], integerRange: { min: 1, max: MAX_SILENCE_MINUTES } },
    { var: "reason", type: "text-single", label: "Reason (optional)", values: reason ? [reason] : [] },
  ];
}

export function silenceCommand({ maintenance, level }: { maintenance: Maintenance; level: () => Level }): AdhocCommand {
  const formStage = (notes: Note[], minutes: string, reason: string): Executing => {
    const now = maintenance.current();
    const instructions = [
      "Hold the presence at its current level for a while; the status says why.",
      ...(now ? [`Now ${silenceNote(now)}: submitting replaces it (unsilence ends it).`] : []),
    ];
    return {
      status: "executing",
      notes,
      payload: [formElement({ type: "form", title: "Silence (maintenance)", instructions, fields: silenceFields(minutes, reason) })],
      // One page: finishing is the only step, and the default one
      actions: ["complete"],
      execute: "complete",
      submit: ({ form }) => (form ? apply(form) : { refused: "bad-payload", text: "submit the form (type submit) with minutes" }),
    };
  };
  const apply = (form: SubmittedForm) => {
    const text = singleValue(form, "minutes");
    const reason = silenceReason(singleValue(form, "reason"));
    const minutes = silenceMinutes(text);
    if (minutes === null) {
      const problem = `minutes: a whole number from 1 to ${MAX_SILENCE_MINUTES}, got "${text.slice(0, 20)}"`;
      // The wrong value goes back into the form to fix, cut short: it may be as long as a stanza
      return formStage([{ type: "error", text: problem }], clip(text, 20), reason);
    }
    return completed([{ type: "info", text: silenceNote(maintenance.silence(minutes, reason, level())) }]);
  };
  return { node: "silence", name: "Silence (maintenance)", start: () => formStage([], "60", "") };
}

export function unsilenceCommand({ maintenance }: { maintenance: Maintenance }): AdhocCommand {
  return {
    node: "unsilence",
    name: "End silence",
    start: () => completed([{ type: "info", text: maintenance.unsilence() ? "silence ended" : "not silenced" }]),
  };
}
