import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { arch, release, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { meaningful, osName, osText, parseOsRelease, readDeviceFacts } from "./facts.js";

const X86_VM = fileURLToPath(new URL("../../test/fixtures/x86-vm-no-sensors", import.meta.url));

test("the version line of a Debian 12 VM names the distribution and release, the kernel and the architecture", async () => {
  const facts = await readDeviceFacts(X86_VM);
  assert.deepEqual(facts, { os: "Debian GNU/Linux 12", kernel: release(), arch: arch(), model: null, serial: null });
  assert.equal(osText(facts), `Debian GNU/Linux 12 (Linux ${release()}, ${arch()})`);
});

test("os-release values may be quoted, single-quoted, escaped or bare; comments and junk lines are skipped", () => {
  const text = ['# a comment', 'NAME="Raspbian GNU/Linux"', "VERSION_ID='12'", 'ID=raspbian', 'PRETTY_NAME="A \\"quoted\\" \\$name"', "not a line", ""].join("\n");
  assert.deepEqual(parseOsRelease(text), { NAME: "Raspbian GNU/Linux", VERSION_ID: "12", ID: "raspbian", PRETTY_NAME: 'A "quoted" $name' });
  assert.equal(osName(parseOsRelease(text)), "Raspbian GNU/Linux 12");
  assert.equal(osName({ PRETTY_NAME: "Arch Linux" }), "Arch Linux");
  assert.equal(osName({}), "Linux");
});

test("a Pi's model comes from the device tree, without its trailing NUL; DMI placeholders are no model", async () => {
  const root = await mkdtemp(join(tmpdir(), "facts-"));
  try {
    await mkdir(join(root, "proc/device-tree"), { recursive: true });
    // The device tree's strings are NUL-terminated (what `od -c /proc/device-tree/model` shows on a Pi)
    await writeFile(join(root, "proc/device-tree/model"), "Raspberry Pi Zero 2 W Rev 1.0\0");
    await writeFile(join(root, "proc/device-tree/serial-number"), "00000000a1b2c3d4\0");
    const facts = await readDeviceFacts(root);
    assert.equal(facts.model, "Raspberry Pi Zero 2 W Rev 1.0");
    assert.equal(facts.serial, "00000000a1b2c3d4");
    assert.equal(facts.os, "Linux", "no os-release: just Linux");
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  assert.equal(meaningful("To Be Filled By O.E.M.\n"), null);
  assert.equal(meaningful("-"), null);
  assert.equal(meaningful("ThinkPad X1\n"), "ThinkPad X1");
});
