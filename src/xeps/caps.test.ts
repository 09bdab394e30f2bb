import { test } from "node:test";
import assert from "node:assert/strict";
import { capsVer } from "./caps.js";

test("the caps ver of XEP-0115's simple example (5.2) is QgayPKawpkPSDYmwT/WM94uAlu0=", () => {
  const ver = capsVer(
    [{ category: "client", type: "pc", name: "Exodus 0.9.1" }],
    ["http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items", "http://jabber.org/protocol/muc", "http://jabber.org/protocol/caps"],
  );
  assert.equal(ver, "QgayPKawpkPSDYmwT/WM94uAlu0=");
});

test("the caps ver does not depend on the order features were added, and changes with them", () => {
  const id = [{ category: "client", type: "bot", name: "x" }];
  assert.equal(capsVer(id, ["b", "a"]), capsVer(id, ["a", "b"]));
  assert.notEqual(capsVer(id, ["a"]), capsVer(id, ["a", "b"]));
});
