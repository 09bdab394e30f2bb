#!/usr/bin/python3
"""The fleet watch as slixmpp 1.8.3 meets it: an independent operator of `xmpp-device-agent watch`, or a stranger.

   watch_client.py --role operator|stranger --jid J --password P [--host 127.0.0.1] --port N
                   --watcher BAREJID --devices NAME,NAME,... [--crit NAME --crashed NAME] [--quiet S]

operator: accepts the watcher's subscription request and asks back, as a user does; once the watcher is online,
asks `fleet` until every device is ok ("fleet"); then, while the test drives the devices: the digest naming the
device turned crit ("crit"), the news of the device killed ("offline"), the next reminder, the reply to `ack`
("acked"), and what came from the watcher in the --quiet seconds after it ("quiet").
stranger: asks `fleet`, `help` and `ack`, and reports what came from the watcher in the --quiet seconds after
("heard").
One JSON line per step; exit codes as the other step peers (slixmpp_peer.py); bounded by --timeout (240 s).
"""
import argparse
import asyncio
import re
import sys
import time

from slixmpp import ClientXMPP

from slixmpp_peer import check, emit, is_loopback, log_in, run_peer, verdict

NS_HINTS = "urn:xmpp:hints"
FLEET_WAIT = 40


def seen(msg):
    """What a user's client shows of a message, and what it carries for the server."""
    return {
        "type": msg["type"],
        "to": str(msg["to"]),
        "body": msg["body"],
        "store": msg.xml.find(f"{{{NS_HINTS}}}store") is not None,
    }


async def operator(xmpp, args, inbox):
    devices = args.devices.split(",")
    watcher_online = asyncio.get_running_loop().create_future()

    def on_available(presence):
        if presence["from"].bare == args.watcher and not watcher_online.done():
            watcher_online.set_result(str(presence["from"]))

    def on_subscribe(presence):
        if presence["from"].bare == args.watcher:
            xmpp.send_presence(pto=args.watcher, ptype="subscribed")
            xmpp.send_presence(pto=args.watcher, ptype="subscribe")
            emit("accepted", frm=presence["from"].bare)

    xmpp.add_event_handler("presence_available", on_available)
    xmpp.add_event_handler("presence_subscribe", on_subscribe)
    reminders = []

    async def next_message(pattern):
        """The next message from the watcher that starts as `pattern` says; reminders are kept, others reported."""
        while True:
            msg = await inbox.get()
            if re.match(pattern, msg["body"]):
                return msg
            if msg["body"].startswith("still bad"):
                reminders.append(seen(msg))
            else:
                emit("skipped", body=msg["body"])

    async def ask(text, pattern="."):
        xmpp.send_message(mto=args.watcher, mbody=text, mtype="chat")
        return seen(await asyncio.wait_for(next_message(pattern), 10))

    # The server resends the watcher's request stored while we were offline once we are available (RFC 6121 3.1.3)
    async def available():
        await xmpp.get_roster()
        xmpp.send_presence()

    await log_in(xmpp, args.host, args.port, on_session=available)
    emit("sees-watcher", frm=await watcher_online)
    all_ok = f"{len(devices)} devices: {len(devices)} ok"
    started = time.monotonic()
    while True:
        fleet = await ask("fleet", r"^\d+ devices: ")
        if fleet["body"].split("\n")[0] == all_ok or time.monotonic() - started > FLEET_WAIT:
            break
        await asyncio.sleep(2)
    emit("fleet", **fleet)
    check(fleet["type"] == "chat", "the fleet reply is a chat message")

    crit = seen(await next_message(rf"^{re.escape(args.crit)} crit\b"))
    emit("crit", **crit)
    offline = seen(await next_message(rf"^{re.escape(args.crashed)} offline without a clean stop\b"))
    emit("offline", **offline)
    for news in (crit, offline):
        check(news["type"] == "chat", "news is a chat message")
        check(news["to"] == xmpp.boundjid.bare, "news is sent to the bare JID")
        check(news["store"], "news carries a XEP-0334 <store/> hint")
    # Reminders come every alerts.remindMinutes: the next one names both
    reminder = seen(await next_message("^still bad"))
    emit("reminder", **reminder, earlier=len(reminders))

    acked = await ask("ack", "^acked ")
    emit("acked", **acked)
    check(acked["type"] == "chat", "the ack reply is a chat message")
    await asyncio.sleep(args.quiet)
    after = []
    while not inbox.empty():
        after.append(inbox.get_nowait()["body"])
    emit("quiet", seconds=args.quiet, heard=after)


async def stranger(xmpp, args, inbox):
    async def available():
        await xmpp.get_roster()
        xmpp.send_presence()

    await log_in(xmpp, args.host, args.port, on_session=available)
    for text in ["fleet", "help", "ack"]:
        xmpp.send_message(mto=args.watcher, mbody=text, mtype="chat")
    await asyncio.sleep(args.quiet)
    heard = []
    while not inbox.empty():
        heard.append(inbox.get_nowait()["body"])
    emit("heard", seconds=args.quiet, bodies=heard)
    check(heard == [], "a stranger gets no reply from the watcher")


async def main(args):
    xmpp = ClientXMPP(args.jid, args.password)
    xmpp.auto_authorize = None  # answered by the role, as a user answers a client's dialog
    xmpp.auto_subscribe = None
    inbox = asyncio.Queue()

    def on_message(msg):
        if msg["from"].bare == args.watcher and msg["body"]:
            inbox.put_nowait(msg)

    xmpp.add_event_handler("message", on_message)
    try:
        await (operator if args.role == "operator" else stranger)(xmpp, args, inbox)
    finally:
        xmpp.disconnect()
    return verdict()


def arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ["--role", "--jid", "--password", "--watcher", "--devices"]:
        parser.add_argument(name, required=True)
    parser.add_argument("--host", default="127.0.0.1", help="loopback only")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--crit", default="", help="the device the test turns crit")
    parser.add_argument("--crashed", default="", help="the device the test kills")
    parser.add_argument("--quiet", type=float, default=15, help="seconds to listen after the last ask")
    parser.add_argument("--timeout", type=float, default=240)
    args = parser.parse_args()
    if args.role not in ("operator", "stranger") or not is_loopback(args.host):
        print(f"--role {args.role} --host {args.host}: expected operator|stranger and a loopback host", file=sys.stderr)
        sys.exit(64)
    return args


if __name__ == "__main__":
    run_peer(arguments(), main)
