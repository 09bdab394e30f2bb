#!/usr/bin/python3
"""XEP-0323 client side of slixmpp 1.8 (plugins/xep_0323: request_data) against the agent.

Logs in over plaintext to a loopback server, asks one readout, prints what it gets as JSON lines:
  {"event": "accepted"}, {"event": "field", "nodeId", "timestamp", "name", "typename", "value", "unit", "flags"},
  {"event": "done"} | {"event": "rejected", "error"} | {"event": "failure", "error"} | {"event": "timeout"}
Exit codes: 0 the readout finished, 2 rejected, 3 failed, 4 no answer within --timeout, 5 no session, 64 usage.
"""
import argparse
import asyncio
import json
import sys

from slixmpp import ClientXMPP

from slixmpp_peer import connect_plaintext, is_loopback, log_warnings_only

EXIT_DONE, EXIT_REJECTED, EXIT_FAILURE, EXIT_TIMEOUT, EXIT_NO_SESSION, EXIT_USAGE = 0, 2, 3, 4, 5, 64


def emit(event, **data):
    print(json.dumps({"event": event, **data}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jid", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--service-host", default="127.0.0.1", help="loopback only")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--to", required=True, help="the device's full JID")
    parser.add_argument("--node", action="append", help="a nodeId to ask for (repeatable)")
    parser.add_argument("--field", action="append", help="a field name to ask for (repeatable)")
    parser.add_argument("--flag", action="append", help="a request flag as name=value, e.g. momentary=true (repeatable)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds for the whole run")
    args = parser.parse_args()
    if not is_loopback(args.service_host):
        print(f"--service-host {args.service_host}: this test client talks to loopback servers only", file=sys.stderr)
        return EXIT_USAGE
    flags = dict(f.split("=", 1) for f in args.flag) if args.flag else None

    log_warnings_only()
    xmpp = ClientXMPP(args.jid, args.password)
    xmpp.register_plugin("xep_0030")
    xmpp.register_plugin("xep_0323")
    outcome = xmpp.loop.create_future()

    def finish(code):
        if not outcome.done():
            outcome.set_result(code)

    # The callback signature slixmpp's request_data documents
    def on_readout(from_jid, result, nodeId=None, timestamp=None, fields=None, error_msg=None):
        if result == "fields":
            for field in fields:
                emit("field", nodeId=nodeId, timestamp=timestamp, **field)
        elif result == "done":
            emit("done")
            finish(EXIT_DONE)
        elif result == "rejected":
            emit("rejected", error=error_msg)
            finish(EXIT_REJECTED)
        elif result == "failure":
            emit("failure", nodeId=nodeId, error=error_msg)
            finish(EXIT_FAILURE)
        else:
            emit(result)

    def on_session(_event):
        xmpp["xep_0323"].request_data(xmpp.boundjid.full, args.to, on_readout, nodeIds=args.node, fields=args.field, flags=flags)

    def no_session(error):
        if not outcome.done():
            emit("no-session", error=error)
            finish(EXIT_NO_SESSION)

    xmpp.add_event_handler("session_start", on_session)
    xmpp.add_event_handler("failed_all_auth", lambda _e: no_session("authentication failed"))
    xmpp.add_event_handler("connection_failed", lambda e: no_session(str(e)))
    connect_plaintext(xmpp, args.service_host, args.port)
    try:
        code = xmpp.loop.run_until_complete(asyncio.wait_for(outcome, args.timeout))
    except asyncio.TimeoutError:
        emit("timeout", seconds=args.timeout)
        code = EXIT_TIMEOUT
    xmpp.disconnect(wait=1.0)
    try:
        xmpp.loop.run_until_complete(asyncio.wait_for(xmpp.disconnected, 2.0))
    except (asyncio.TimeoutError, Exception):
        pass
    return code


if __name__ == "__main__":
    sys.exit(main())
