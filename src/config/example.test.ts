import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "./load.js";

test("config/example.json is a valid config (given its password file)", () => {
  const example = fileURLToPath(new URL("../../../config/example.json", import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), "agent-example-"));
  try {
    writeFileSync(join(dir, "password"), "x\n");
    const config = loadConfig({ file: example, env: { XMPP_PASSWORD_FILE: join(dir, "password") } });
    assert.equal(config.xmpp.jid, "pi-42@example.org");
    assert.deepEqual(config.operators, ["alice@example.org", "*@ops.example.org"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
