// XEP-0004 Data Forms: build the forms the device sends (type form, result) and read the ones an operator
// submits. Pure: plain objects in, elements out, and back. https://xmpp.org/extensions/xep-0004.html
import { xml, type Element } from "@xmpp/client";

export const NS_DATA = "jabber:x:data";
// XEP-0122: lets a client check a number's range before it submits https://xmpp.org/extensions/xep-0122.html
export const NS_DATA_VALIDATE = "http://jabber.org/protocol/xdata-validate";

export type FieldType = "boolean" | "fixed" | "hidden" | "jid-multi" | "jid-single" | "list-multi" | "list-single" | "text-multi" | "text-private" | "text-single";

export interface FormField {
  /** Required for every type but "fixed" (XEP-0004 3.2). */
  var?: string;
  type?: FieldType;
  label?: string;
  desc?: string;
  required?: boolean;
  values?: string[];
  /** An integer range, announced with XEP-0122 (the device still checks it). */
  integerRange?: { min: number; max: number };
}

export interface DataForm {
  type: "form" | "result";
  title?: string;
  instructions?: string[];
  fields: FormField[];
}

/** What an operator sent back: field values by var, in the order given. */
export interface SubmittedForm {
  values: Map<string, string[]>;
}

/** A text-single field of a result: the usual shape of one reading. */
export const textField = (name: string, label: string, value: string): FormField => ({ var: name, type: "text-single", label, values: [value] });

function fieldElement(f: FormField): Element {
  const attrs = { ...(f.var !== undefined ? { var: f.var } : {}), ...(f.type ? { type: f.type } : {}), ...(f.label ? { label: f.label } : {}) };
  return xml(
    "field",
    attrs,
    f.desc ? xml("desc", {}, f.desc) : null,
    f.required ? xml("required") : null,
    // XEP-0004 3.3: single-value types carry at most one <value/>; text-multi one per line
    ...(f.values ?? []).map((v) => xml("value", {}, v)),
    f.integerRange
      ? xml("validate", { xmlns: NS_DATA_VALIDATE, datatype: "xs:integer" }, xml("range", { min: String(f.integerRange.min), max: String(f.integerRange.max) }))
      : null,
  );
}

export function formElement(form: DataForm): Element {
  return xml(
    "x",
    { xmlns: NS_DATA, type: form.type },
    form.title ? xml("title", {}, form.title) : null,
    ...(form.instructions ?? []).map((i) => xml("instructions", {}, i)),
    ...form.fields.map(fieldElement),
  );
}

/**
 * The first data form among a request's children, if it is a submission. XEP-0050 4.4 asks responders to read
 * type "cancel" like "submit"; a "form" or "result" sent to us is no submission (null).
 */
export function submittedForm(children: Element[]): SubmittedForm | null {
  const x = children.find((c) => c.is("x", NS_DATA));
  const type = x?.attrs.type as string | undefined;
  if (!x || (type !== "submit" && type !== "cancel")) return null;
  const values = new Map<string, string[]>();
  for (const field of x.getChildren("field")) {
    const name = field.attrs.var as string | undefined;
    if (name) values.set(name, field.getChildren("value").map((v) => v.text()));
  }
  return { values };
}

/** A single-valued field's text, trimmed; "" when absent or empty (XEP-0004 3.5 does not tell the two apart). */
export function singleValue(form: SubmittedForm, name: string): string {
  return (form.values.get(name)?.[0] ?? "").trim();
}
