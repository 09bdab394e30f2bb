"""What the slixmpp 1.8.3 interop peers in this folder share: the loopback-only guard, the plaintext login,
and, for the peers that report steps, JSON lines, checks and a run bounded by --timeout.

A step peer prints one JSON line per step ({"step": ...}) and exits 0 when every check held, 1 on a failed
check, 2 on a timeout or a lost connection (argparse's own usage errors too), 64 on a bad --role or --host.
"""
import argparse
import asyncio
import ipaddress
import json
import logging
import sys
import time

from slixmpp.exceptions import IqError, IqTimeout

ONLINE_WAIT = 10
failures = []


def emit(step, **fields):
    print(json.dumps({"step": step, **fields}), flush=True)


def check(ok, what):
    if not ok:
        failures.append(what)
        emit("check-failed", what=what)


def verdict():
    """Emits "done" with the failed checks; the exit code they make."""
    emit("done", ok=not failures, failures=failures)
    return 0 if not failures else 1


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def log_warnings_only():
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    # slixmpp leaves tasks behind at exit, and xep_0323's request_data drops the future of its IQ (an error
    # reply, reported through the callback as "rejected"): their "never retrieved" warnings are noise here
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)


def connect_plaintext(xmpp, host, port):
    # Plaintext to a loopback server: no TLS to negotiate; slixmpp allows SCRAM (not PLAIN) unencrypted
    xmpp.connect((host, port), use_ssl=False, force_starttls=False, disable_starttls=True)


async def log_in(xmpp, host, port, on_session=None):
    """Connects, awaits on_session() once the session starts, and emits "online"; raises if refused."""
    online = asyncio.get_running_loop().create_future()

    async def session_start(_):
        if on_session:
            await on_session()
        if not online.done():
            online.set_result(True)

    xmpp.add_event_handler("session_start", session_start)
    xmpp.add_event_handler("failed_all_auth", lambda _: online.done() or online.set_exception(RuntimeError("auth failed")))
    xmpp.add_event_handler("connection_failed", lambda e: online.done() or online.set_exception(ConnectionError(str(e))))
    connect_plaintext(xmpp, host, port)
    await asyncio.wait_for(online, ONLINE_WAIT)
    emit("online", jid=str(xmpp.boundjid))


def step_peer_arguments(doc, timeout):
    """--role operator|stranger --jid J --password P [--host H] --port N --device FULLJID [--timeout S]."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ["--role", "--jid", "--password", "--device"]:
        parser.add_argument(name, required=True)
    parser.add_argument("--host", default="127.0.0.1", help="loopback only")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=timeout)
    args = parser.parse_args()
    if args.role not in ("operator", "stranger") or not is_loopback(args.host):
        print(f"--role {args.role} --host {args.host}: expected operator|stranger and a loopback host", file=sys.stderr)
        sys.exit(64)
    return args


def run_step_peer(doc, main, timeout):
    """Parses the arguments and exits with main(args)'s code, or 2 if the run outlives --timeout or fails."""
    run_peer(step_peer_arguments(doc, timeout), main)


def run_peer(args, main):
    """Exits with main(args)'s code, or 2 if the run outlives args.timeout or fails."""
    log_warnings_only()
    started = time.monotonic()
    try:
        code = asyncio.run(asyncio.wait_for(main(args), args.timeout))
    except (asyncio.TimeoutError, IqTimeout, IqError, RuntimeError, ConnectionError) as err:
        emit("aborted", error=f"{type(err).__name__}: {err}", after_s=round(time.monotonic() - started, 1))
        code = 2
    sys.exit(code)
