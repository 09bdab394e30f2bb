// An ad-hoc command's result form as chat text, for clients without ad-hoc commands (Conversations, Dino,
// Monal): the same fields, one "label: value" line each. Pure.
import type { DataForm } from "../xeps/forms.js";

export function formText(form: DataForm): string {
  const lines = form.fields.map((f) => `${f.label ?? f.var}: ${(f.values ?? []).join(", ")}`);
  return [form.title, ...lines].filter(Boolean).join("\n");
}
