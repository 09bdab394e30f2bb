import { test } from "node:test";
import assert from "node:assert/strict";
import { wholeTags } from "./whole-tags.js";

const fed = (chunks: string[]) => {
  const tags = wholeTags();
  return chunks.map((c) => tags.take(Buffer.from(c))?.toString() ?? null);
};

test("each chunk is passed on up to its last '>', the rest with the next one", () => {
  assert.deepEqual(fed(["<message><body>hel", "lo wor", "ld</body></message>", "<iq/>"]), ["<message><body>", null, "hello world</body></message>", "<iq/>"]);
});

test("a character split across two chunks arrives whole", () => {
  const bytes = Buffer.from("<body>漢</body>");
  const tags = wholeTags();
  const out = [tags.take(bytes.subarray(0, 8)), tags.take(bytes.subarray(8))].filter((b) => b !== null);
  assert.deepEqual(out.map(String), ["<body>", "漢</body>"]);
});

test("reset drops what was held for the old stream", () => {
  const tags = wholeTags();
  tags.take(Buffer.from("<success/> "));
  tags.reset();
  assert.equal(tags.take(Buffer.from("<stream:stream>"))?.toString(), "<stream:stream>");
});
