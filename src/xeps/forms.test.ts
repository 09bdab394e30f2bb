import { test } from "node:test";
import assert from "node:assert/strict";
import { xml } from "@xmpp/client";
import { formElement, NS_DATA, singleValue, submittedForm, textField } from "./forms.js";

test("a form to fill has its title, instructions and fields: required, a default value, a XEP-0122 range", () => {
  const x = formElement({
    type: "form",
    title: "Silence",
    instructions: ["Hold the presence"],
    fields: [{ var: "minutes", type: "text-single", label: "Minutes", required: true, values: ["60"], integerRange: { min: 1, max: 10080 } }],
  });
  assert.equal(
    x.toString(),
    `<x xmlns="${NS_DATA}" type="form"><title>Silence</title><instructions>Hold the presence</instructions>` +
      `<field var="minutes" type="text-single" label="Minutes"><required/><value>60</value>` +
      `<validate xmlns="http://jabber.org/protocol/xdata-validate" datatype="xs:integer"><range min="1" max="10080"/></validate></field></x>`,
  );
});

test("a result lists one value per line of a text-multi field and none for an empty optional field", () => {
  const x = formElement({ type: "result", fields: [{ var: "reasons", type: "text-multi", values: ["a", "b"] }, textField("cpu", "CPU", "12.0%"), { var: "reason" }] });
  assert.deepEqual(x.getChildren("field").map((f) => f.getChildren("value").map((v) => v.text())), [["a", "b"], ["12.0%"], []]);
});

test("a submitted form reads as values by var; cancel counts as submit (XEP-0050 4.4); form and result are no submission", () => {
  const submit = (type: string) =>
    xml("x", { xmlns: NS_DATA, type }, xml("field", { var: "minutes" }, xml("value", {}, " 15 ")), xml("field", { var: "reason" }, xml("value", {}, "firmware update")), xml("field", { var: "empty" }));
  const form = submittedForm([xml("note"), submit("submit")])!;
  assert.equal(singleValue(form, "minutes"), "15");
  assert.equal(singleValue(form, "reason"), "firmware update");
  assert.equal(singleValue(form, "empty"), "");
  assert.equal(singleValue(form, "absent"), "");
  const canceled = submittedForm([submit("cancel")]);
  assert.deepEqual(canceled && [...canceled.values], [["minutes", [" 15 "]], ["reason", ["firmware update"]], ["empty", []]]);
  assert.equal(submittedForm([submit("form")]), null);
  assert.equal(submittedForm([submit("result")]), null);
  assert.equal(submittedForm([]), null);
  assert.equal(submittedForm([xml("x", { xmlns: "jabber:x:oob" })]), null);
});
