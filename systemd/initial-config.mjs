// The first /etc/xmpp-device-agent/config.json, made from config/example.json by install.sh and the .deb's
// postinst: the example's settings with this device's JID and operators, without the example's server and
// passwordFile (the password comes from systemd's LoadCredential; a second source is refused with exit 78).
//   node initial-config.mjs EXAMPLE [--jid JID] [--operators "a@example.org,*@ops.example.org"] [--service URL]
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { jid: { type: "string", default: "" }, operators: { type: "string", default: "" }, service: { type: "string", default: "" } },
});
const example = positionals[0];
if (!example) throw new Error("usage: node initial-config.mjs EXAMPLE [--jid JID] [--operators LIST] [--service URL]");
const config = JSON.parse(readFileSync(example, "utf8"));
const { service: _service, password: _password, passwordFile: _passwordFile, ...xmpp } = config.xmpp ?? {};
// An empty JID runs the agent without XMPP (sampling and logging only) until one is configured
config.xmpp = { ...xmpp, jid: values.jid, ...(values.service ? { service: values.service } : {}) };
config.operators = values.operators.split(",").map((o) => o.trim()).filter(Boolean);
process.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
