import { test } from "node:test";
import assert from "node:assert/strict";
import { xml } from "@xmpp/client";
import { fieldsWeCannotFill } from "./register-form.js";

const field = (name: string, required: boolean) =>
  xml("field", { var: name, type: name === "password" ? "text-private" : "text-single" }, required ? xml("required") : null);

test("Prosody 0.12's default form (username and password): nothing we cannot fill", () => {
  // The answer to <query xmlns='jabber:iq:register'/> from Prosody 0.12.3 with mod_register_ibr, as logged
  const query = xml("query", "jabber:iq:register", xml("instructions", {}, "Choose a username and password for use with this service."),
    xml("username"), xml("password"),
    xml("x", { xmlns: "jabber:x:data", type: "form" }, xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, "jabber:iq:register")), field("username", true), field("password", true)));
  assert.deepEqual(fieldsWeCannotFill(query), []);
});

test("a form that requires an email is one a device cannot fill; an optional nick is fine", () => {
  const query = xml("query", "jabber:iq:register", xml("x", { xmlns: "jabber:x:data", type: "form" }, field("username", true), field("password", true), field("email", true), field("nick", false)));
  assert.deepEqual(fieldsWeCannotFill(query), ["email"]);
});

test("legacy fields only: every listed field is wanted", () => {
  assert.deepEqual(fieldsWeCannotFill(xml("query", "jabber:iq:register", xml("instructions"), xml("username"), xml("password"), xml("email"))), ["email"]);
});
