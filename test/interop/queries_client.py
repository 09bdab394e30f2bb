#!/usr/bin/python3
"""Standard queries from slixmpp 1.8.3 against the agent: disco#info and caps (XEP-0030, XEP-0115), ping
(XEP-0199), version (XEP-0092), time (XEP-0202), last activity (XEP-0012), and IQs nobody should act on.

   queries_client.py --role operator|stranger --jid J --password P --host 127.0.0.1 --port N --device FULLJID

Plaintext to a loopback server only (SCRAM; slixmpp refuses PLAIN without TLS). Prints one JSON line per step
and exits 0 when every check held, 1 on a failed check, 2 on a timeout or a lost connection, 64 on usage.
The whole run is bounded by --timeout (30 s).
"""
import asyncio
import os
import re
from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from slixmpp import ClientXMPP
from slixmpp.exceptions import IqError
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

from slixmpp_peer import check, emit, log_in, run_step_peer, verdict

NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas"
IQ_WAIT = 5
# ejabberd 23.01's mod_last refuses jabber:iq:last from a non-subscriber itself, before the device sees it
# (docs/servers.md); everything else a stranger asks must reach the device and get its forbidden
STRANGER_LAST_REFUSAL = "service-unavailable" if os.environ.get("XMPP_TEST_SERVER") == "ejabberd" else "forbidden"


def refusal(err):
    """An IQ error as the user's client sees it, and whether anything besides the echoed request came with it."""
    payload = [child for child in err.iq.xml if child.tag != "{jabber:client}error"]
    return {
        "type": err.iq["error"]["type"],
        "condition": err.iq["error"]["condition"],
        "text": err.iq["error"]["text"],
        "payload": [child.tag for child in payload],
        # RFC 6120 8.3.1: the request may be echoed; anything inside it would be data
        "data": any(len(child) or (child.text or "").strip() for child in payload),
    }


async def refused(step, request):
    """Runs a request that must fail; emits the error, or the data it wrongly got."""
    try:
        iq = await request
        emit(step, answered=True, xml=str(iq))
        return None
    except IqError as err:
        got = refusal(err)
        emit(step, answered=False, **got)
        return got


async def disco_and_caps(xmpp, device, role, presence):
    info = (await xmpp["xep_0030"].get_info(jid=device, timeout=IQ_WAIT))["disco_info"]
    identities = [list(i) for i in info["identities"]]
    features = sorted(info["features"])
    # xep_0115's own hashing of what we answered
    ver = xmpp["xep_0115"].generate_verstring(info, "sha-1")
    emit("disco-info", identities=identities, features=features, ver=ver, extensions=len(info["substanzas"]))
    check(any(i[0] == "client" and i[1] == "bot" for i in identities), "identity client/bot")
    items = (await xmpp["xep_0030"].get_items(jid=device, timeout=IQ_WAIT))["disco_items"]["items"]
    emit("disco-items", items=[list(map(str, i)) for i in items])
    if role != "operator":
        return
    # Subscribed: the server hands slixmpp the device's presence, whose <c/> slixmpp then verifies itself
    pres = await asyncio.wait_for(presence, 10)
    emit("presence", ver=pres["caps"]["ver"], hash=pres["caps"]["hash"], node=pres["caps"]["node"], status=pres["status"])
    check(pres["caps"]["ver"] == ver, "the caps ver slixmpp computes from our disco#info is the one in our presence")
    # xep_0115 fetches node#ver, validates and only then assigns the ver to the JID
    assigned = None
    for _ in range(50):
        assigned = await xmpp["xep_0115"].get_verstring(device)
        if assigned:
            break
        await asyncio.sleep(0.1)
    emit("caps-validated", assigned=assigned)
    check(assigned == ver, "slixmpp's own caps processing accepted the ver")


async def queries(xmpp, device, role):
    rtt = await xmpp["xep_0199"].ping(device, timeout=IQ_WAIT)
    emit("ping", pong=True, rtt_ms=round(rtt * 1000, 1))
    if role == "operator":
        version = (await xmpp["xep_0092"].get_version(device, timeout=IQ_WAIT))["software_version"]
        emit("version", name=version["name"], version=version["version"], os=version["os"])
        check(bool(version["name"]) and bool(version["version"]) and bool(version["os"]), "version has name, version, os")

        iq = await xmpp["xep_0202"].get_entity_time(device, timeout=IQ_WAIT)
        raw = {tag: iq.xml.find(f"{{urn:xmpp:time}}time/{{urn:xmpp:time}}{tag}") for tag in ("tzo", "utc")}
        utc_text = raw["utc"].text if raw["utc"] is not None else ""
        tzo_text = raw["tzo"].text if raw["tzo"] is not None else ""
        # XEP-0082 DateTime; Python 3.11 reads the trailing Z
        utc = datetime.fromisoformat(utc_text)
        skew = abs((utc - datetime.now(timezone.utc)).total_seconds())
        # slixmpp 1.8.3's xep_0202 stanza cannot read a spec-conformant answer: get_utc appends a second "Z"
        # to <utc>...Z</utc> (XEP-0202 example 2) and get_tzo feeds a bare time to a DateTime parser. So the
        # raw elements are read above, and what its accessors do is only reported.
        accessors = {}
        for tag in ("utc", "tzo"):
            try:
                accessors[tag] = str(iq["entity_time"][tag])
            except ValueError as err:
                accessors[tag] = f"slixmpp error: {err}"
        emit("time", utc=utc_text, tzo=tzo_text, skew_s=round(skew, 3), slixmpp_accessors=accessors)
        check(re.fullmatch(r"[+-]\d\d:\d\d|Z", tzo_text or "") is not None, "tzo is +hh:mm")
        check(utc.tzinfo is not None and utc.utcoffset().total_seconds() == 0, "utc is in UTC")
        check(skew < 5, "the device's clock is close to ours")

        last = (await xmpp["xep_0012"].get_last_activity(device, timeout=IQ_WAIT))["last_activity"]
        emit("last", seconds=last["seconds"], status=last["status"])
        check(isinstance(last["seconds"], int) and last["seconds"] >= 0, "last activity seconds")
    else:
        for step, request in [
            ("version", xmpp["xep_0092"].get_version(device, timeout=IQ_WAIT)),
            ("time", xmpp["xep_0202"].get_entity_time(device, timeout=IQ_WAIT)),
            ("last", xmpp["xep_0012"].get_last_activity(device, timeout=IQ_WAIT)),
        ]:
            got = await refused(step, request)
            condition = STRANGER_LAST_REFUSAL if step == "last" else "forbidden"
            check(got is not None and got["condition"] == condition and not got["data"], f"a stranger gets {condition} and no data for {step}")


def raw_iq(xmpp, device, itype, *children):
    iq = xmpp.Iq()  # a fresh id (make_iq would use "0" for every one)
    iq["to"] = device
    iq["type"] = itype
    for child in children:
        iq.xml.append(child)
    return iq


async def odd_iqs(xmpp, device, from_device):
    unknown = lambda: ET.Element("{urn:example:no-such-protocol}query")
    for itype in ("get", "set"):
        got = await refused(f"unknown-{itype}", raw_iq(xmpp, device, itype, unknown()).send(timeout=IQ_WAIT))
        check(got is not None and got["condition"] in ("service-unavailable", "feature-not-implemented"), f"an unknown {itype} is not served")
    # Prosody 0.12 answers these itself (core/stanza_router.lua: "Incorrect number of children") and never
    # routes them to the device; what matters to a user is the answer, whoever gives it
    two = [ET.Element("{jabber:iq:version}query"), ET.Element("{urn:xmpp:time}time")]
    for step, iq in [("two-children", raw_iq(xmpp, device, "get", *two)), ("no-child", raw_iq(xmpp, device, "get"))]:
        got = await refused(step, iq.send(timeout=IQ_WAIT))
        check(got is not None and got["condition"] == "bad-request" and not got["data"], f"{step} gets bad-request")

    # RFC 6121 2.1.6: a roster push from anyone but the device's own server must not be taken
    push = ET.Element("{jabber:iq:roster}query")
    ET.SubElement(push, "{jabber:iq:roster}item", jid="mallory@localhost", subscription="both")
    got = await refused("roster-push", raw_iq(xmpp, device, "set", push).send(timeout=IQ_WAIT))
    check(got is not None and got["condition"] == "service-unavailable", "a roster push from a contact is refused")

    # A result and an error nobody asked for: no answer at all, and the device still answers afterwards
    ids = ["unsolicited-result", "unsolicited-error"]
    xmpp.make_iq_result(id=ids[0], ito=device).send()
    xmpp.make_iq_error(ids[1], type="cancel", condition="item-not-found", ito=device).send()
    await asyncio.sleep(2)
    answers = [str(s) for s in from_device if s["id"] in ids]
    emit("unsolicited", answers=answers)
    check(answers == [], "no answer to a result or an error nobody asked for")
    rtt = await xmpp["xep_0199"].ping(device, timeout=IQ_WAIT)
    emit("still-answering", pong=True, rtt_ms=round(rtt * 1000, 1))


async def main(args):
    xmpp = ClientXMPP(args.jid, args.password)
    for plugin in ["xep_0030", "xep_0004", "xep_0115", "xep_0199", "xep_0092", "xep_0202", "xep_0012"]:
        xmpp.register_plugin(plugin)
    presence = asyncio.get_running_loop().create_future()
    device_bare = args.device.split("/")[0]
    from_device, presences = [], []

    def on_iq(iq):
        if iq["from"].bare == device_bare:
            from_device.append(iq)

    def on_presence(pres):
        if pres["from"].bare == device_bare:
            presences.append(pres["type"])
            if pres["caps"]["ver"] and not presence.done():
                presence.set_result(pres)

    xmpp.register_handler(Callback("every iq", MatchXPath("{jabber:client}iq"), on_iq))
    xmpp.add_event_handler("presence", on_presence)

    async def on_session():
        await xmpp.get_roster(timeout=IQ_WAIT)
        xmpp.send_presence()

    await log_in(xmpp, args.host, args.port, on_session)
    try:
        await disco_and_caps(xmpp, args.device, args.role, presence)
        await queries(xmpp, args.device, args.role)
        await odd_iqs(xmpp, args.device, from_device)
        if args.role != "operator":
            emit("presences", types=presences)
            check(presences == [], "a stranger gets no presence from the device")
    finally:
        xmpp.disconnect()
    return verdict()


if __name__ == "__main__":
    run_step_peer(__doc__, main, timeout=30)
