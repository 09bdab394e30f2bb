// Alerts at slixmpp, an independent operator (Debian's python3-slixmpp, test/interop/alerts_client.py), against a
// real server (Prosody, or ejabberd with test:ejabberd): it accepts the device's subscription and asks back, gets
// the alert as a stored chat message to its bare JID, a reminder, the reply to its `ack`, and the recovery.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fromBare, type Peer } from "./support/peer.js";
import { startPython } from "./support/python-peer.js";
import { startScene, type Scene } from "./support/scene.js";

const REMIND_MS = 3000;
const HOT = { temperature: { celsius: 83, source: "thermal_zone0 (cpu-thermal)" } };
const COOL = { temperature: { celsius: 48, source: "thermal_zone0 (cpu-thermal)" } };

describe("alerts at slixmpp, an independent operator", () => {
  let scene: Scene;
  let alice: Peer;

  before(async () => {
    scene = await startScene({
      operators: [{ name: "alice" }, { name: "dana", online: false }],
      readings: COOL,
      env: { AGENT_INTERVAL: "3600" },
      configure: (config) => {
        Object.assign(config.presence, { raiseAfter: 1, clearAfter: 1, minIntervalSeconds: 0 });
        Object.assign(config.alerts, { remindMinutes: REMIND_MS / 60_000, maxPerMinute: 60 });
      },
    });
    alice = scene.operator;
  });

  after(() => scene?.stop());

  async function turn(reading: typeof HOT) {
    scene.health.set(reading);
    await scene.agent.sampleNow();
  }

  test("slixmpp gets the alert (chat, bare JID, <store/>), a reminder, a reply to `ack`, and the recovery", async () => {
    const name = scene.device.split("@")[0]!;
    const dana = `dana@${scene.prosody.domain}`;
    const peer = startPython("alerts_client.py", ["--role", "operator", "--jid", `${dana}/slixmpp`, "--password", "dana-pass", "--port", String(scene.prosody.port), "--device", scene.device], 90_000);
    const report = async () => {
      const run = await peer.done.catch((error: Error) => ({ code: null, lines: [], stderr: error.message }));
      return `${run.stderr}\n${run.lines.map((l) => JSON.stringify(l)).join("\n")}`;
    };
    try {
      // "ready": its `test alert` came back, so the device counts it as subscribed
      await peer.step("ready");
      await turn(HOT);
      await peer.step("acked");
      await turn(COOL);
    } catch (error) {
      assert.fail(`${error}\n${await report()}`);
    }
    const run = await peer.done;
    assert.equal(run.code, 0, await report());
    const step = (s: string) => run.lines.find((l) => l.step === s)!;

    assert.equal(step("accepted").frm, scene.device);
    assert.match(step("ready").first, new RegExp(`^${name} TEST: `));
    const alert = step("alert");
    assert.deepEqual([alert.type, alert.to, alert.store, alert.first], ["chat", dana, true, `${name} CRIT: temp 83°C ≥ 80`]);
    const id = /^since \d\d:\d\d \S+, alert ([0-9a-z]{4})\. Reply "ack \1" to stop reminders$/.exec(alert.second)?.[1];
    assert.ok(id, `the alert's second line names its id: ${alert.second}`);
    assert.equal(step("reminder").first, `${name} still CRIT: temp 83°C ≥ 80`);
    const acked = step("acked");
    assert.deepEqual([acked.type, acked.first], ["chat", `acknowledged alert ${id}: no more reminders; you will still hear when it ends`]);
    const recovered = step("recovered");
    assert.deepEqual([recovered.type, recovered.to, recovered.store], ["chat", dana, true]);
    assert.match(recovered.first, new RegExp(`^${name} OK again after \\d+ s$`));
    assert.match(recovered.second, new RegExp(`^alert ${id} \\(worst CRIT\\) from \\d\\d:\\d\\d \\S+ to \\d\\d:\\d\\d \\S+ is over$`));
    assert.deepEqual(run.lines.filter((l) => l.step === "skipped"), [], "nothing else from the device in between");

    // The other operator, on @xmpp/client, hears who acknowledged
    const told = alice.received.find((s) => s.is("message") && fromBare(s) === scene.device && /acknowledged by/.test(s.getChildText("body") ?? ""));
    assert.match(told?.getChildText("body") ?? "", new RegExp(`^${name} CRIT acknowledged by ${dana}\\n`));
  });
});
