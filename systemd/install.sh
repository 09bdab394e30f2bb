#!/bin/bash
# Installs the XMPP device agent from its release tarball (npm run package), or removes it. Idempotent:
# running it again upgrades the program and keeps the configuration and the password.
#
#   sudo ./install.sh [--jid JID] [--password-file FILE|-] [--operators "a@example.org,*@ops.example.org"]
#                     [--service URL] [--node PATH] [--no-start] [--root DIR]
#   sudo ./install.sh --uninstall [--purge] [--root DIR]
#
# Where things go (docs/operators.md):
#   /usr/lib/xmpp-device-agent/          the built agent: dist/cli.js holds it and its dependencies
#   /etc/systemd/system/xmpp-device-agent.service    the unit (an admin-installed unit, so /etc)
#   /etc/systemd/system/xmpp-device-agent-watch.service   the fleet watch's unit, not enabled (docs/fleet.md)
#   /usr/lib/sysusers.d/xmpp-device-agent.conf       the system user, made with systemd-sysusers
#   /etc/xmpp-device-agent/config.json   0640 root:xmpp-device-agent, from config/example.json, never overwritten
#   /etc/xmpp-device-agent/password      0600 root:root, read by systemd (LoadCredential), not by the agent
# --root DIR installs into DIR as if it were / (no running systemd needed: systemctl --root, sysusers --root).
set -euo pipefail

NAME=xmpp-device-agent
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=""
JID=""
OPERATORS=""
SERVICE=""
PASSWORD_FILE=""
NODE=/usr/bin/node
START=yes
ACTION=install
PURGE=no
CONFIG_FLAGS=no

die() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "install.sh: $*"; }
usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --jid) JID=${2:?--jid needs a value}; CONFIG_FLAGS=yes; shift 2 ;;
    --operators) OPERATORS=${2?--operators needs a value}; CONFIG_FLAGS=yes; shift 2 ;;
    --service) SERVICE=${2:?--service needs a value}; CONFIG_FLAGS=yes; shift 2 ;;
    --password-file) PASSWORD_FILE=${2:?--password-file needs a file, or - for stdin}; shift 2 ;;
    --node) NODE=${2:?--node needs a path}; shift 2 ;;
    --root) ROOT=$(cd "${2:?--root needs a directory}" && pwd); shift 2 ;;
    --no-start) START=no; shift ;;
    --uninstall) ACTION=uninstall; shift ;;
    --purge) PURGE=yes; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
[ "$ROOT" = / ] && ROOT=""
[ "$(id -u)" = 0 ] || die "run it as root (sudo ./install.sh): it creates a system user and root-owned files"
[ "$PURGE" = no ] || [ "$ACTION" = uninstall ] || die "--purge goes with --uninstall"

LIB=$ROOT/usr/lib/$NAME
ETC=$ROOT/etc/$NAME
UNIT_DIR=$ROOT/etc/systemd/system
DOC=$ROOT/usr/share/doc/$NAME
BIN_LINK=$ROOT/usr/local/bin/$NAME
SYSUSERS=$ROOT/usr/lib/sysusers.d/$NAME.conf
# Talk to a running systemd only when installing into this very system and systemd is PID 1
if [ -z "$ROOT" ] && [ -d /run/systemd/system ]; then LIVE=yes; else LIVE=no; fi
systemctl_() { if [ -n "$ROOT" ]; then systemctl --root="$ROOT" "$@"; else systemctl "$@"; fi; }

# The .deb owns the same paths under dpkg's bookkeeping; two owners would fight at the next upgrade
if dpkg-query --admindir="$ROOT/var/lib/dpkg" -W -f='${Status}' "$NAME" 2>/dev/null | grep -q 'ok installed'; then
  die "the $NAME .deb is installed here: upgrade or remove it with apt/dpkg instead"
fi

uninstall() {
  if [ "$LIVE" = yes ]; then systemctl disable --now "$NAME.service" "$NAME-watch.service" || true; else systemctl_ disable "$NAME.service" "$NAME-watch.service" >/dev/null 2>&1 || true; fi
  rm -rf "$UNIT_DIR/$NAME.service" "$UNIT_DIR/$NAME.service.d" "$UNIT_DIR/$NAME-watch.service" "$UNIT_DIR/$NAME-watch.service.d" "$LIB" "$LIB.new" "$DOC" "$BIN_LINK" "$SYSUSERS"
  [ "$LIVE" = yes ] && systemctl daemon-reload
  if [ "$PURGE" = yes ]; then
    # As the .deb's purge: configuration, state and the system user, so nothing is left for a reused UID
    rm -rf "$ETC" "$ROOT/var/lib/$NAME" "$ROOT/var/lib/$NAME-watch"
    userdel ${ROOT:+--prefix "$ROOT"} "$NAME" 2>/dev/null || true
    groupdel ${ROOT:+--prefix "$ROOT"} "$NAME" 2>/dev/null || true
    say "removed, with $ETC (configuration and password), /var/lib/$NAME (and -watch) and the system user $NAME"
  else
    say "removed; kept $ETC (configuration and password) and the system user $NAME: --uninstall --purge removes them too"
  fi
}

if [ "$ACTION" = uninstall ]; then uninstall; exit 0; fi

for f in dist/cli.js package.json config/example.json initial-config.mjs "$NAME.service" "$NAME-watch.service" "$NAME.sysusers"; do
  [ -e "$HERE/$f" ] || die "$HERE/$f is missing: run install.sh from the unpacked release tarball (npm run package)"
done
command -v systemd-sysusers >/dev/null || die "systemd-sysusers not found: this installer is for systemd systems (apt-get install systemd)"

# The node that runs the agent. Into a scratch root (--root), the host's node runs the setup steps.
node_major() { "$1" -e 'process.stdout.write(process.versions.node.split(".")[0])' 2>/dev/null || echo 0; }
if [ -z "$ROOT" ]; then
  [ -x "$NODE" ] || die "no Node.js at $NODE. Install Node.js 20 or newer (Debian 12's nodejs is 18: use NodeSource, docs/operators.md), or pass --node PATH"
  [ "$(node_major "$NODE")" -ge 20 ] || die "$NODE is Node.js $("$NODE" --version); the agent needs 20 or newer (docs/operators.md)"
  SETUP_NODE=$NODE
else
  SETUP_NODE=$(command -v node) || die "no node on this machine's PATH to prepare the configuration with"
fi

# 0. A new configuration is made and checked before anything is installed, so bad flags change nothing
NEW_CONFIG=""
if [ ! -e "$ETC/config.json" ]; then
  if [ "$CONFIG_FLAGS" = no ] && [ -t 0 ] && [ -z "$PASSWORD_FILE" ]; then
    read -r -p "The device's XMPP account (JID, e.g. pi-42@example.org; empty: sampling only): " JID
    read -r -p "Operators, comma-separated (bare JIDs or *@domain): " OPERATORS
  fi
  NEW_CONFIG=$(mktemp)
  trap 'rm -f "$NEW_CONFIG"' EXIT
  "$SETUP_NODE" "$HERE/initial-config.mjs" "$HERE/config/example.json" --jid "$JID" --operators "$OPERATORS" --service "$SERVICE" > "$NEW_CONFIG"
  # A stand-in password, so check-config judges everything else now rather than at the first start (exit 78)
  if ! checked=$(XMPP_PASSWORD=placeholder "$SETUP_NODE" "$HERE/dist/cli.js" check-config --config "$NEW_CONFIG" 2>&1); then
    die "these settings are not valid, nothing was installed:
$(echo "$checked" | grep -v '^invalid configuration:$')"
  fi
fi

# 1. The program: staged beside the old one, then swapped, so a failed copy leaves the old one running
rm -rf "$LIB.new"
mkdir -p "$LIB.new/config"
cp -R "$HERE/dist" "$HERE/package.json" "$HERE/initial-config.mjs" "$LIB.new/"
cp "$HERE/config/example.json" "$LIB.new/config/"
chown -R 0:0 "$LIB.new"
chmod -R u=rwX,go=rX "$LIB.new"
chmod 0755 "$LIB.new/dist/cli.js"
rm -rf "$LIB.old"
[ -d "$LIB" ] && mv "$LIB" "$LIB.old"
mv "$LIB.new" "$LIB"
rm -rf "$LIB.old"
mkdir -p "$(dirname "$BIN_LINK")" "$DOC"
ln -sfn "/usr/lib/$NAME/dist/cli.js" "$BIN_LINK"
for f in README.md docs/operators.md; do [ -e "$HERE/$f" ] && install -m 0644 -o 0 -g 0 "$HERE/$f" "$DOC/"; done

# 2. The unit, and a drop-in when node is not /usr/bin/node
install -d -m 0755 "$UNIT_DIR"
# The fleet watch's unit beside the agent's, installed but not enabled: an admin enables it on the one machine
# that watches (docs/fleet.md)
for unit in "$NAME.service" "$NAME-watch.service"; do
  install -m 0644 -o 0 -g 0 "$HERE/$unit" "$UNIT_DIR/$unit"
  rm -f "$UNIT_DIR/$unit.d/node.conf"
  if [ "$NODE" != /usr/bin/node ]; then
    install -d -m 0755 "$UNIT_DIR/$unit.d"
    # The unit's own ExecStart (node's flags included) with this node in place of /usr/bin/node
    exec_start=$(sed -n "s|^ExecStart=/usr/bin/node |ExecStart=$NODE |p" "$HERE/$unit")
    printf '# Written by install.sh --node\n[Service]\nExecStart=\n%s\n' "$exec_start" > "$UNIT_DIR/$unit.d/node.conf"
  fi
  rmdir "$UNIT_DIR/$unit.d" 2>/dev/null || true
done

# 3. The system user (systemd-sysusers: declarative, and works on a scratch root without chroot)
install -D -m 0644 -o 0 -g 0 "$HERE/$NAME.sysusers" "$SYSUSERS"
mkdir -p "$ROOT/etc"
if [ -n "$ROOT" ]; then systemd-sysusers --root="$ROOT" "$NAME.conf"; else systemd-sysusers "$NAME.conf"; fi
# Numeric, from the target's own group file: under --root the host may not have this group
GID=$(awk -F: -v n="$NAME" '$1 == n { print $3 }' "$ROOT/etc/group")
[ -n "$GID" ] || die "systemd-sysusers did not create the group $NAME in $ROOT/etc/group"

# 4. Configuration: created once, never overwritten; owner and mode are put right every time
install -d -m 0750 -o 0 -g "$GID" "$ETC"
chown 0:"$GID" "$ETC"
chmod 0750 "$ETC"
if [ -n "$NEW_CONFIG" ]; then
  install -m 0640 -o 0 -g "$GID" "$NEW_CONFIG" "$ETC/config.json"
  rm -f "$NEW_CONFIG"
  say "wrote $ETC/config.json"
else
  [ "$CONFIG_FLAGS" = no ] || say "kept the existing $ETC/config.json; --jid/--operators/--service were not applied: edit it"
fi
chown 0:"$GID" "$ETC/config.json"
chmod 0640 "$ETC/config.json"

# 5. The password: systemd reads it as root and hands it to the agent (LoadCredential=xmpp-password)
umask 077
if [ -n "$PASSWORD_FILE" ]; then
  if [ "$PASSWORD_FILE" = - ]; then IFS= read -r password || true; else IFS= read -r password < "$PASSWORD_FILE" || true; fi
  [ -n "${password:-}" ] || die "the password from ${PASSWORD_FILE/#-/stdin} is empty"
  printf '%s\n' "$password" > "$ETC/password.new"
  mv "$ETC/password.new" "$ETC/password"
  unset password
  say "wrote $ETC/password"
elif [ ! -s "$ETC/password" ] && [ -n "$JID" ] && [ -t 0 ]; then
  read -r -s -p "Password of $JID: " password; echo
  printf '%s\n' "$password" > "$ETC/password"
  unset password
fi
# LoadCredential fails the start when its file is missing; an empty one reads as "no password" (exit 78)
[ -e "$ETC/password" ] || : > "$ETC/password"
chown 0:0 "$ETC/password"
chmod 0600 "$ETC/password"

# 6. Enable (symlinks only: works offline and under --root), then start or restart on a live system
# (offline, systemctl warns that multi-user.target does not exist in a bare scratch root: true, and harmless)
enabled=$(systemctl_ enable "$NAME.service" 2>&1) || die "systemctl enable failed: $enabled"
if [ "$LIVE" = yes ]; then
  systemctl daemon-reload
  if systemctl is-active --quiet "$NAME.service"; then systemctl restart "$NAME.service"
  elif [ "$START" = yes ]; then systemctl start "$NAME.service"; fi
  # The fleet watch, where an admin runs it (docs/fleet.md), runs the new program too
  systemctl try-restart "$NAME-watch.service" || true
  say "installed $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$LIB/package.json"); systemctl status $NAME, journalctl -u $NAME -o cat"
else
  say "installed and enabled${ROOT:+ under $ROOT}; systemd is not running here, so nothing was started"
fi
if [ ! -s "$ETC/password" ]; then say "no password yet: put it in $ETC/password (0600) or rerun with --password-file"; fi
