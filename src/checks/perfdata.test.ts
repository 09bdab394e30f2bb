import { test } from "node:test";
import assert from "node:assert/strict";
import { parsePerfData, pluginState, splitPluginOutput } from "./perfdata.js";

test("check_disk's output: the first line is the text, its perf data numbers with unit and thresholds", () => {
  // Captured from Debian 12's monitoring-plugins-basic 2.3.3: check_disk -w 20% -c 10% -p /
  const { text, perf } = splitPluginOutput("DISK OK - free space: / 80851MiB (77% inode=97%);| /=24165482496B;216442024755;243497277849;0;270552530944\n");
  assert.equal(text, "DISK OK - free space: / 80851MiB (77% inode=97%);");
  assert.deepEqual(perf, [{ label: "/", value: 24165482496, unit: "B", warn: "216442024755", crit: "243497277849", min: 0, max: 270552530944 }]);
});

test("quoted labels with spaces and quotes, ranges as thresholds, missing fields, several items", () => {
  assert.deepEqual(parsePerfData("'in use'=12%;80;90 'it''s'=3c time=0.012s;;;0; load1=0.2;@1:2;~:3"), [
    { label: "in use", value: 12, unit: "%", warn: "80", crit: "90", min: null, max: null },
    { label: "it's", value: 3, unit: "c", warn: null, crit: null, min: null, max: null },
    { label: "time", value: 0.012, unit: "s", warn: null, crit: null, min: 0, max: null },
    { label: "load1", value: 0.2, unit: "", warn: "@1:2", crit: "~:3", min: null, max: null },
  ]);
});

test("malformed items are skipped, never thrown on", () => {
  assert.deepEqual(parsePerfData("garbage =5 x=abc y=5"), [{ label: "y", value: 5, unit: "", warn: null, crit: null, min: null, max: null }]);
  assert.deepEqual(parsePerfData(""), []);
  assert.deepEqual(splitPluginOutput("").perf, []);
});

test("long output: perf data after a | on later lines counts too", () => {
  const { text, perf } = splitPluginOutput("PROCS OK: 3 processes | procs=3;;\nsecond line | extra=7ms\n");
  assert.equal(text, "PROCS OK: 3 processes");
  assert.deepEqual(perf.map((p) => [p.label, p.value, p.unit]), [["procs", 3, ""], ["extra", 7, "ms"]]);
});

test("plugin exit codes: 0 ok, 1 warn, 2 crit, 3 and anything else unknown", () => {
  assert.deepEqual([0, 1, 2, 3, 4, 127, null].map(pluginState), ["ok", "warn", "crit", "unknown", "unknown", "unknown", "unknown"]);
});
