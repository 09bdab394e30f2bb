// XEP-0077 3.1: what the server's registration form asks for. A device can give a username and a password, nothing
// else (an email, a CAPTCHA): a server that requires more has closed registration to devices. Pure.
import type { Element } from "@xmpp/client";

export const NS_REGISTER = "jabber:iq:register";
const NS_DATA = "jabber:x:data";
const WE_FILL = new Set(["username", "password", "FORM_TYPE"]);
/** Legacy fields that are not questions (XEP-0077 3.1, 3.3: instructions, the OOB pointer, already registered). */
const NOT_ASKED = new Set(["instructions", "x", "registered", "remove", "key"]);

/** The required fields a device cannot fill; the data form wins over the legacy fields when both are there. */
export function fieldsWeCannotFill(query: Element): string[] {
  const form = query.getChild("x", NS_DATA);
  if (form) {
    return form
      .getChildren("field")
      .filter((field) => field.getChild("required") && field.attrs.type !== "fixed" && !WE_FILL.has(String(field.attrs.var)))
      .map((field) => String(field.attrs.var ?? field.attrs.label ?? "?"));
  }
  // Legacy XEP-0077: every field the server lists is one it wants
  return query.getChildElements().map((child) => child.name).filter((name) => !WE_FILL.has(name) && !NOT_ASKED.has(name));
}
