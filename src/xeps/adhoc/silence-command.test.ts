import { test } from "node:test";
import assert from "node:assert/strict";
import type { Element } from "@xmpp/client";
import { clockTime, maintenanceMode } from "../../maintenance/maintenance-mode.js";
import type { SubmittedForm } from "../forms.js";
import type { AdhocCommand, Completed, Executing, Stage } from "./command.js";
import { silenceCommand, unsilenceCommand } from "./silence-command.js";

const NOW = Date.UTC(2026, 10, 25, 12, 0);

/** The two commands over one maintenance mode, for a device whose level is warn. */
function setup() {
  const maintenance = maintenanceMode({ onChange: () => undefined, now: () => NOW });
  const commands = [silenceCommand({ maintenance, level: () => "warn" }), unsilenceCommand({ maintenance })];
  const byNode = (node: string) => commands.find((c) => c.node === node)!;
  return { byNode, maintenance };
}
const fields = (x: Element | undefined) => Object.fromEntries((x?.getChildren("field") ?? []).map((f) => [f.attrs.var, f.getChildren("value").map((v) => v.text()).join("\n")]));
const done = (s: Stage | { refused: string }) => {
  assert.ok("status" in s && s.status === "completed", `not completed: ${"status" in s ? s.status : s.refused}`);
  return s as Completed;
};
const executing = (s: Stage | { refused: string }) => {
  assert.ok("status" in s && s.status === "executing", `not executing: ${"status" in s ? s.status : s.refused}`);
  return s as Executing;
};
const submit = (values: Record<string, string>): SubmittedForm => ({ values: new Map(Object.entries(values).map(([k, v]) => [k, [v]])) });
const run = async (c: AdhocCommand) => c.start("op@example.org/phone");

test("silence asks minutes (required, 1-10080) and a reason, then silences at the current level", async () => {
  const { byNode, maintenance } = setup();
  const form = executing(await run(byNode("silence")));
  assert.deepEqual([form.actions, form.execute], [["complete"], "complete"]);
  const x = form.payload[0]!;
  assert.equal(x.attrs.type, "form");
  const minutes = x.getChildren("field").find((f) => f.attrs.var === "minutes")!;
  assert.ok(minutes.getChild("required"));
  assert.deepEqual(minutes.getChild("validate", "http://jabber.org/protocol/xdata-validate")?.getChild("range")?.attrs, { min: "1", max: "10080" });
  const result = done(await form.submit({ action: "complete", from: "op@example.org/phone", form: submit({ minutes: "15", reason: "firmware update" }) }));
  assert.deepEqual(result.notes, [{ type: "info", text: `silenced until ${clockTime(NOW + 15 * 60_000)} (firmware update)` }]);
  assert.deepEqual(maintenance.current(), { until: NOW + 15 * 60_000, reason: "firmware update", level: "warn" });
  // Already silenced: the form says so
  const again = executing(await run(byNode("silence")));
  assert.match(again.payload[0]!.getChildren("instructions").map((i) => i.text()).join(" "), /Now silenced until \d\d:\d\d \(firmware update\)/);
  maintenance.stop();
});

test("a wrong number of minutes gets the form again with an error note; no form at all is bad-payload", async () => {
  const { byNode, maintenance } = setup();
  const form = executing(await run(byNode("silence")));
  for (const bad of ["", "abc", "0", "10081", "1.5", "-3"]) {
    const retry = executing(await form.submit({ action: "complete", from: "op", form: submit({ minutes: bad, reason: "r" }) }));
    assert.equal(retry.notes?.[0]?.type, "error");
    assert.match(retry.notes?.[0]?.text ?? "", /minutes: a whole number from 1 to 10080/);
    assert.deepEqual(fields(retry.payload[0]), { minutes: bad, reason: "r" }, "what was typed is kept");
  }
  assert.deepEqual(await form.submit({ action: "complete", from: "op", form: null }), { refused: "bad-payload", text: "submit the form (type submit) with minutes" });
  assert.equal(maintenance.current(), null);
});

test("unsilence ends a silence, or says there was none", async () => {
  const { byNode, maintenance } = setup();
  maintenance.silence(10, "", "ok");
  assert.equal(done(await run(byNode("unsilence"))).notes?.[0]?.text, "silence ended");
  assert.equal(done(await run(byNode("unsilence"))).notes?.[0]?.text, "not silenced");
  assert.equal(maintenance.current(), null);
});