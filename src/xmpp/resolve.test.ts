import { test } from "node:test";
import assert from "node:assert/strict";
import { endpointsFor, srvOrder, type SrvRecord } from "./resolve.js";

const srv = (name: string, priority: number, weight: number, port = 5222): SrvRecord => ({ name, port, priority, weight });
/** A random() that returns these values in turn. */
const draws = (...values: number[]) => () => values.shift() ?? 0;

test("RFC 2782: the lowest priority is tried first, whatever its weight", () => {
  const order = srvOrder([srv("backup", 20, 100), srv("main", 10, 0), srv("other", 15, 1)], draws(0.99, 0.99, 0.99));
  assert.deepEqual(order.map((r) => r.name), ["main", "other", "backup"]);
});

test("RFC 2782: within a priority, the draw falls on the record whose running weight sum reaches it", () => {
  const records = [srv("a", 0, 10), srv("b", 0, 30), srv("c", 0, 60)];
  // total 100: a draw of 0..10 picks a, 11..40 b, 41..100 c; then the rest is drawn again
  assert.deepEqual(srvOrder(records, draws(0.05, 0.0)).map((r) => r.name), ["a", "b", "c"]);
  assert.deepEqual(srvOrder(records, draws(0.3, 0.99)).map((r) => r.name), ["b", "c", "a"]);
  assert.deepEqual(srvOrder(records, draws(0.9, 0.0)).map((r) => r.name), ["c", "a", "b"]);
});

test("RFC 2782: over many draws, a record is first about in proportion to its weight, and weight 0 rarely", () => {
  const firsts = new Map<string, number>();
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 20_000; i++) {
    const first = srvOrder([srv("zero", 0, 0), srv("one", 0, 1), srv("three", 0, 3)], random)[0]!.name;
    firsts.set(first, (firsts.get(first) ?? 0) + 1);
  }
  // Chances: zero 1/5 (draw 0), one 1/5 (draw 1), three 3/5 (draws 2..4)
  assert.ok(Math.abs(firsts.get("three")! / 20_000 - 0.6) < 0.02, `three first ${firsts.get("three")} times`);
  assert.ok(Math.abs(firsts.get("one")! / 20_000 - 0.2) < 0.02, `one first ${firsts.get("one")} times`);
  assert.ok(Math.abs(firsts.get("zero")! / 20_000 - 0.2) < 0.02, `zero first ${firsts.get("zero")} times`);
});

test("XEP-0368: direct TLS and STARTTLS records are mixed by priority, then the domain on 5222 comes last", () => {
  const endpoints = endpointsFor("example.org", {
    directTls: [srv("tls.example.net.", 5, 1, 443)],
    starttls: [srv("xmpp.example.net.", 10, 1), srv("early.example.net", 1, 1, 5333)],
  });
  assert.deepEqual(endpoints, ["xmpp://early.example.net:5333", "xmpps://tls.example.net:443", "xmpp://xmpp.example.net:5222", "xmpp://example.org:5222"]);
});

test("no SRV records at all: the domain on 5222 only", () => {
  assert.deepEqual(endpointsFor("example.org", { directTls: null, starttls: null }), ["xmpp://example.org:5222"]);
});

test("a '.' target: that kind is not offered, and the domain is not tried on 5222", () => {
  assert.deepEqual(endpointsFor("example.org", { directTls: [srv("", 0, 0, 1)], starttls: [srv("xmpp.example.org", 0, 0)] }), [
    "xmpp://xmpp.example.org:5222",
  ]);
  assert.deepEqual(endpointsFor("example.org", { directTls: null, starttls: [srv("", 0, 0, 1)] }), []);
});

test("the domain's own host and port named by an SRV record is tried once", () => {
  assert.deepEqual(endpointsFor("example.org", { directTls: null, starttls: [srv("example.org", 0, 0)] }), ["xmpp://example.org:5222"]);
});
