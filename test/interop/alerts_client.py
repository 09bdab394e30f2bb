#!/usr/bin/python3
"""Alerts as slixmpp 1.8.3 meets them: an independent operator who gets the device's alert, acks it by chat and
hears the recovery.

   alerts_client.py --role operator --jid J --password P --host 127.0.0.1 --port N --device BAREJID

Accepts the device's subscription request and asks back, as a user does; asks `test alert` to know the device
counts it as subscribed ("ready"); then, while the test turns the device crit and ok again: the alert, a
reminder, the reply to `ack`, the recovery. One JSON line per step; exit codes as the other step peers
(slixmpp_peer.py); bounded by --timeout (60 s).
"""
import asyncio
import re
import sys

from slixmpp import ClientXMPP

from slixmpp_peer import check, emit, log_in, run_step_peer, verdict

NS_HINTS = "urn:xmpp:hints"


def seen(msg):
    """What a user's client shows of a message, and what it carries for the server."""
    body = msg["body"]
    return {
        "type": msg["type"],
        "to": str(msg["to"]),
        "first": body.split("\n")[0],
        "second": (body.split("\n") + [""])[1],
        "store": msg.xml.find(f"{{{NS_HINTS}}}store") is not None,
    }


async def main(args):
    if args.role != "operator":
        print("--role operator: this peer is an operator only", file=sys.stderr)
        return 64
    name = args.device.split("@")[0]
    xmpp = ClientXMPP(args.jid, args.password)
    xmpp.auto_authorize = None  # answered below, as a user answers a client's dialog
    xmpp.auto_subscribe = None
    inbox = asyncio.Queue()
    device_online = asyncio.get_running_loop().create_future()

    def on_subscribe(presence):
        if presence["from"].bare == args.device:
            xmpp.send_presence(pto=args.device, ptype="subscribed")
            xmpp.send_presence(pto=args.device, ptype="subscribe")
            emit("accepted", frm=presence["from"].bare)

    def on_available(presence):
        if presence["from"].bare == args.device and not device_online.done():
            device_online.set_result(str(presence["from"]))

    def on_message(msg):
        if msg["from"].bare == args.device and msg["body"]:
            inbox.put_nowait(msg)

    xmpp.add_event_handler("presence_subscribe", on_subscribe)
    xmpp.add_event_handler("presence_available", on_available)
    xmpp.add_event_handler("message", on_message)

    async def available():
        # The server resends a request stored while we were offline once we are available (RFC 6121 3.1.3)
        await xmpp.get_roster()
        xmpp.send_presence()

    async def next_message(first):
        """The next message from the device whose first line matches; others are reported and skipped."""
        while True:
            msg = await inbox.get()
            if re.match(first, msg["body"].split("\n")[0]):
                return msg
            emit("skipped", first=msg["body"].split("\n")[0])

    def say(text):
        xmpp.send_message(mto=args.device, mbody=text, mtype="chat")

    await log_in(xmpp, args.host, args.port, on_session=available)
    try:
        emit("sees-device", frm=await device_online)
        say("test alert")
        test = seen(await next_message(f"^{re.escape(name)} TEST: "))
        emit("ready", **test)

        alert = seen(await next_message(f"^{re.escape(name)} CRIT: "))
        emit("alert", **alert)
        check(alert["type"] == "chat", "the alert is a chat message")
        check(alert["to"] == xmpp.boundjid.bare, "the alert is sent to the bare JID")
        check(alert["store"], "the alert carries a XEP-0334 <store/> hint")
        reminder = seen(await next_message(f"^{re.escape(name)} still CRIT: "))
        emit("reminder", **reminder)

        say("ack")
        reply = seen(await next_message("^acknowledged alert "))
        emit("acked", **reply)
        check(reply["type"] == "chat", "the ack reply is a chat message")

        recovered = seen(await next_message(f"^{re.escape(name)} OK again"))
        emit("recovered", **recovered)
        check(recovered["type"] == "chat" and recovered["store"], "the recovery is a stored chat message")
    finally:
        xmpp.disconnect()
    return verdict()


if __name__ == "__main__":
    run_step_peer(__doc__, main, timeout=60)
