import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { withReference } from "./reference.js";

test("the README's config reference is the one the schema renders (npm run docs rewrites it)", () => {
  const readme = readFileSync(fileURLToPath(new URL("../../../README.md", import.meta.url)), "utf8");
  assert.equal(readme, withReference(readme), "README.md config reference is out of date: run `npm run docs`");
});
