#!/usr/bin/python3
"""XEP-0050 interop peer: slixmpp 1.8.3's ad-hoc client side against the agent.

   xep0050_client.py --role operator|stranger --jid J --password P --host 127.0.0.1 --port N --device FULLJID

Plaintext to a loopback server only (SCRAM; slixmpp refuses PLAIN without TLS). Prints one JSON line per step
and exits 0 when every check held, 1 on a failed check, 2 on a timeout or a lost connection, 64 on usage.
The whole run is bounded by --timeout (45 s).
"""
from slixmpp import ClientXMPP
from slixmpp.exceptions import IqError

from slixmpp_peer import check, emit, log_in, run_step_peer, verdict

COMMANDS = ["status", "sample-now", "silence", "unsilence", "thresholds", "ack"]


def error_of(err):
    """The stanza condition and the XEP-0050 one (the first child outside the stanzas namespace)."""
    specific = None
    for child in err.iq["error"].xml:
        if not child.tag.startswith("{urn:ietf:params:xml:ns:xmpp-stanzas}"):
            specific = child.tag.split("}")[-1]
    return {"type": err.iq["error"]["type"], "condition": err.iq["error"]["condition"], "specific": specific}


def command_of(iq):
    cmd = iq["command"]
    form = cmd["form"]
    return {
        "status": cmd["status"],
        "sessionid": cmd["sessionid"],
        "actions": sorted(cmd["actions"]),
        "notes": [list(n) for n in cmd["notes"]],
        "form_type": form["type"] if form.xml is not None and len(form.xml) else None,
        "fields": {var: f["value"] for var, f in form.get_fields().items()},
    }


async def operator(xmpp, device):
    adhoc = xmpp["xep_0050"]
    items = await adhoc.get_commands(device, timeout=10)
    nodes = [i[1] for i in items["disco_items"]["items"]]
    emit("list", nodes=nodes, jids=sorted({str(i[0]) for i in items["disco_items"]["items"]}))
    # slixmpp keeps disco items in a set: the order is checked from @xmpp/client in adhoc.test.ts
    check(sorted(nodes) == sorted(COMMANDS), "the list has the six commands")

    info = await xmpp["xep_0030"].get_info(jid=device, node="silence", timeout=10)
    emit("info", node="silence", identities=[list(i[:2]) for i in info["disco_info"]["identities"]], features=sorted(info["disco_info"]["features"]))

    for node in ["status", "thresholds", "sample-now"]:
        got = command_of(await adhoc.send_command(device, node, action="execute", timeout=10))
        emit("execute", node=node, **got)
        check(got["status"] == "completed", f"{node} completes in one stage")

    # ack with the device healthy: one stage, and a note that says there is nothing to acknowledge
    ack = command_of(await adhoc.send_command(device, "ack", action="execute", timeout=10))
    emit("execute", node="ack", **ack)
    check(ack["status"] == "completed" and ack["notes"] == [["warn", "no alert is open: nothing to acknowledge"]], "ack says nothing is open")

    # six silence windows closed without cancel, then a seventh: the agent must not lock the operator out
    abandoned = [command_of(await adhoc.send_command(device, "silence", action="execute", timeout=10))["sessionid"] for _ in range(6)]
    first = command_of(await adhoc.send_command(device, "silence", action="execute", timeout=10))
    emit("silence-form", abandoned=len(set(abandoned)), **first)
    check(first["status"] == "executing" and first["form_type"] == "form" and "minutes" in first["fields"], "silence asks a form")
    form = xmpp["xep_0004"].make_form(ftype="submit")
    form.add_field(var="minutes", value="15")
    form.add_field(var="reason", value="firmware update")
    # submitted as slixmpp's continue_command (and so poezio) does it: action 'next', even on the last page
    done = command_of(await adhoc.send_command(device, "silence", action="next", sessionid=first["sessionid"], payload=form, timeout=10))
    emit("silence-done", **done)
    check(done["status"] == "completed" and done["notes"][0][1].startswith("silenced until "), "silence completes with a note")
    try:
        await adhoc.send_command(device, "silence", action="complete", sessionid=abandoned[0], payload=form, timeout=10)
        check(False, "an abandoned session was replaced")
    except IqError as err:
        emit("abandoned", **error_of(err))

    # a second silence session, canceled; its id is then spent
    second = command_of(await adhoc.send_command(device, "silence", action="execute", timeout=10))
    canceled = command_of(await adhoc.send_command(device, "silence", action="cancel", sessionid=second["sessionid"], timeout=10))
    emit("silence-cancel", **canceled)
    check(canceled["status"] == "canceled", "cancel answers status canceled")
    try:
        await adhoc.send_command(device, "silence", action="complete", sessionid=second["sessionid"], payload=form, timeout=10)
        check(False, "a canceled session refuses another stage")
    except IqError as err:
        emit("after-cancel", **error_of(err))


async def stranger(xmpp, device):
    adhoc = xmpp["xep_0050"]
    try:
        items = await adhoc.get_commands(device, timeout=10)
        nodes = [i[1] for i in items["disco_items"]["items"]]
        emit("list", nodes=nodes)
        check(nodes == [], "a stranger's list is empty")
    except IqError as err:
        emit("list-error", **error_of(err))
    for node in ["status", "silence"]:
        try:
            iq = await adhoc.send_command(device, node, action="execute", timeout=10)
            emit("execute", node=node, **command_of(iq))
            check(False, f"a stranger cannot run {node}")
        except IqError as err:
            payload = [child.tag for child in err.iq.xml if not child.tag.endswith("}error")]
            emit("execute-error", node=node, payload=payload, **error_of(err))


async def main(args):
    xmpp = ClientXMPP(args.jid, args.password)
    for plugin in ["xep_0030", "xep_0004", "xep_0050"]:
        xmpp.register_plugin(plugin)
    await log_in(xmpp, args.host, args.port)
    try:
        await (operator if args.role == "operator" else stranger)(xmpp, args.device)
    finally:
        xmpp.disconnect()
    return verdict()


if __name__ == "__main__":
    run_step_peer(__doc__, main, timeout=45)
