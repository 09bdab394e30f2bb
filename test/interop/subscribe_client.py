#!/usr/bin/python3
"""The device's subscription request as slixmpp 1.8.3 sees it: the XEP-0172 nick and the status text.

   subscribe_client.py --role operator --jid J --password P --host 127.0.0.1 --port N --device BAREJID

Logs in, waits for the device's <presence type='subscribe'/> (live, or resent by the server at login) and
prints it as one JSON line. Exit codes as the other step peers (slixmpp_peer.py); bounded by --timeout (20 s).
"""
import asyncio

from slixmpp import ClientXMPP

from slixmpp_peer import check, emit, log_in, run_step_peer, verdict


async def main(args):
    xmpp = ClientXMPP(args.jid, args.password)
    xmpp.register_plugin("xep_0172")
    xmpp.auto_authorize = None  # leave the request to us, as a client's dialog does
    request = asyncio.get_running_loop().create_future()
    xmpp.add_event_handler("presence_subscribe", lambda p: request.done() or request.set_result(p))
    async def available():
        # The server resends a request stored while we were offline once we are available (RFC 6121 3.1.3)
        await xmpp.get_roster()
        xmpp.send_presence()

    await log_in(xmpp, args.host, args.port, on_session=available)
    try:
        presence = await request
        emit("request", frm=presence["from"].bare, nick=presence["nick"]["nick"], status=presence["status"])
        check(presence["from"].bare == args.device, "the request comes from the device")
    finally:
        xmpp.disconnect()
    return verdict()


if __name__ == "__main__":
    run_step_peer(__doc__, main, timeout=20)
