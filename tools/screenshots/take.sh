#!/usr/bin/env bash
# The screenshots of docs/operators.md, "In your client": how an operator reaches the device in Gajim, poezio,
# Profanity and Dino, each logged in to `npm run demo` on this machine as its operator.
#   - Gajim 1.7 and Dino 0.4 under Xvfb, driven by xdotool, taken with ImageMagick's `import`;
#   - Profanity and poezio in tmux, the pane captured as text and drawn to PNG by ImageMagick.
# Run as root on Debian 12 (the clients that refuse root run as nobody; Dino runs in a mount namespace where the
# system CA bundle also holds the demo's certificate, so the machine's trust is left alone):
#   bash tools/screenshots/take.sh [OUTDIR]          # default: docs/screenshots
# Needs: apt-get install gajim poezio profanity dino-im xvfb xdotool imagemagick tmux fonts-dejavu-core
# The clicks are at the places Gajim 1.7.3 and Dino 0.4.2 (Debian 12) draw their dialogs on a 1280x800 screen
# with no window manager; another version may need them moved (look at $WORK/*.png, kept on failure).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=$(realpath -m "${1:-docs/screenshots}")
WORK=$(mktemp -d /tmp/xmpp-device-agent-screenshots-XXXXXX)
chmod 755 "$WORK"
DISPLAY_NUMBER=:77
TMUX_SOCKET=xmpp-device-agent-screenshots
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf
DEVICE=device@localhost
PIDS=()

[ "$(id -u)" = 0 ] || { echo "take.sh: run as root (setpriv, unshare -m)" >&2; exit 64; }
for tool in gajim poezio profanity dino-im Xvfb xdotool import tmux setpriv unshare; do
  command -v "$tool" >/dev/null || { echo "take.sh: $tool is missing (see the Needs: line at the top)" >&2; exit 69; }
done
[ -e "/tmp/.X${DISPLAY_NUMBER#:}-lock" ] && { echo "take.sh: display $DISPLAY_NUMBER is taken" >&2; exit 69; }

ok=0
cleanup() {
  tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
  # Each client and the demo were started with setsid: their process groups go, nothing else
  for pid in "${PIDS[@]}"; do kill -INT -- "-$pid" 2>/dev/null || true; done
  sleep 3
  for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  if [ "$ok" = 1 ]; then rm -rf "$WORK"; else echo "take.sh: failed; what it saw is in $WORK" >&2; fi
}
trap cleanup EXIT

started() { PIDS+=("$1"); }
say() { echo "take.sh: $*" >&2; }
X() { DISPLAY=$DISPLAY_NUMBER "$@"; }
click() { X xdotool mousemove "$1" "$2" click 1; sleep "${3:-1}"; }
type_text() { X xdotool type --delay 30 "$1"; }
shot() { X import -window root "$@"; }

# A tmux pane as a PNG: light text on dark, the pane's own lines. ImageMagick's policy refuses label:@file,
# so the text goes in as an argument, with its % and \ escaped for label:.
pane_png() {
  tmux -L "$TMUX_SOCKET" capture-pane -p -t "$1" > "$WORK/$1.txt"
  convert -background '#1e1e1e' -fill '#dcdcdc' -font "$FONT" -pointsize 14 -bordercolor '#1e1e1e' -border 12 \
    "label:$(sed 's/\\/\\\\/g; s/%/%%/g' "$WORK/$1.txt")" "$2"
}
# Waits (up to 20 s) until the pane shows the text.
pane_shows() {
  for _ in $(seq 40); do
    tmux -L "$TMUX_SOCKET" capture-pane -p -t "$1" | grep -qF -- "$2" && return 0
    sleep 0.5
  done
  say "$1 never showed \"$2\""; tmux -L "$TMUX_SOCKET" capture-pane -p -t "$1" >&2; return 1
}

say "building and starting the demo"
npm run --silent build:test
setsid node build/tools/demo/demo.js > "$WORK/demo.log" 2>&1 &
started $!
for _ in $(seq 120); do grep -q "Below, what the operator sees" "$WORK/demo.log" && break; sleep 1; done
grep -q "port 5222, STARTTLS" "$WORK/demo.log" || { cat "$WORK/demo.log" >&2; say "the demo is not on port 5222, where Dino looks"; exit 1; }
PASSWORD=$(grep -o 'password: [^ ]*' "$WORK/demo.log" | cut -d' ' -f2)
RESOURCE=$(grep -o "$DEVICE (resource [^)]*)" "$WORK/demo.log" | sed 's/.*resource //; s/)//')
FULL="$DEVICE/$RESOURCE"
cp "$(grep -o '/tmp/xmpp-device-agent-demo-[^ ]*/localhost.crt' "$WORK/demo.log" | head -1)" "$WORK/demo.crt"
mkdir -p "$OUT"

say "Profanity: /cmd list $FULL"
mkdir -p "$WORK/profanity"
tmux -L "$TMUX_SOCKET" -f /dev/null new-session -d -s profanity -x 100 -y 24 "env HOME=$WORK/profanity TERM=screen-256color profanity"
pane_shows profanity "Profanity"
tmux -L "$TMUX_SOCKET" send-keys -t profanity "/connect operator@localhost server 127.0.0.1 port 5222" Enter
sleep 2
tmux -L "$TMUX_SOCKET" send-keys -t profanity "$PASSWORD" Enter
pane_shows profanity "/tls allow"
tmux -L "$TMUX_SOCKET" send-keys -t profanity "/tls allow" Enter
pane_shows profanity "logged in successfully"
tmux -L "$TMUX_SOCKET" send-keys -t profanity "/sub allow $DEVICE" Enter
sleep 2
tmux -L "$TMUX_SOCKET" send-keys -t profanity "/clear" Enter "/cmd list $FULL" Enter
pane_shows profanity "thresholds"
pane_png profanity "$OUT/profanity.png"

say "poezio: /ad-hoc $FULL"
mkdir -p "$WORK/poezio/.config/poezio"
cp "$WORK/demo.crt" "$WORK/poezio/demo.crt"
printf '[Poezio]\njid = operator@localhost\npassword = %s\ncustom_host = 127.0.0.1\ncustom_port = 5222\nca_cert_path = %s\n' \
  "$PASSWORD" "$WORK/poezio/demo.crt" > "$WORK/poezio/.config/poezio/poezio.cfg"
chown -R nobody:nogroup "$WORK/poezio"
tmux -L "$TMUX_SOCKET" new-session -d -s poezio -x 100 -y 24 \
  "setpriv --reuid=nobody --regid=nogroup --clear-groups --pdeathsig TERM env HOME=$WORK/poezio TERM=screen-256color poezio"
pane_shows poezio "Authentication success"
# poezio reads "/" as the start of a command line only when it comes alone
tmux -L "$TMUX_SOCKET" send-keys -t poezio "/"
sleep 0.5
tmux -L "$TMUX_SOCKET" send-keys -t poezio -l "ad-hoc $FULL"
sleep 0.5
tmux -L "$TMUX_SOCKET" send-keys -t poezio Enter
pane_shows poezio "Sample now and refresh presence"
pane_png poezio "$OUT/poezio.png"

say "Xvfb $DISPLAY_NUMBER"
setsid Xvfb "$DISPLAY_NUMBER" -screen 0 1280x800x24 -nolisten tcp > "$WORK/xvfb.log" 2>&1 &
started $!
sleep 2

say "Gajim: Discover Services on $FULL, then Command"
G="$WORK/gajim"
mkdir -p "$G/run" && chmod 700 "$G/run" && chown -R nobody:nogroup "$G"
setsid setpriv --reuid=nobody --regid=nogroup --clear-groups env DISPLAY=$DISPLAY_NUMBER HOME="$G" XDG_CONFIG_HOME="$G/.config" \
  XDG_DATA_HOME="$G/.local/share" XDG_CACHE_HOME="$G/.cache" XDG_RUNTIME_DIR="$G/run" dbus-run-session -- gajim > "$WORK/gajim.log" 2>&1 &
started $!
sleep 15
shot "$WORK/gajim-1-welcome.png"
type_text "operator@localhost"; X xdotool key Tab; type_text "$PASSWORD"; X xdotool key Return
sleep 8
shot "$WORK/gajim-2-certificate.png"
click 551 515 0.5   # Add to Trusted Certificates
click 854 608 10    # Log In
shot "$WORK/gajim-3-added.png"
click 847 608 8     # Connect
shot "$WORK/gajim-4-password.png"
# No keyring under Xvfb: Gajim asks for the password again
X xdotool key Escape
click 640 466 0.5; type_text "$PASSWORD"; click 733 630 8
click 92 12; click 150 112 3          # Accounts > Discover Services...
click 630 213 0.5; X xdotool key ctrl+a; type_text "$FULL"; X xdotool key Return
sleep 4
shot "$WORK/gajim-5-discovered.png"
click 639 438       # OK: "The service is not browsable" (its commands are under the Command button)
click 524 257       # the device's row
click 520 639 4     # Command
shot -crop 600x500+340+150 +repage "$OUT/gajim.png"
kill -TERM -- "-${PIDS[-1]}" 2>/dev/null || true
sleep 3

say "Dino: a chat with $DEVICE"
cat /etc/ssl/certs/ca-certificates.crt "$WORK/demo.crt" > "$WORK/ca-bundle.crt"
D="$WORK/dino"
mkdir -p "$D"
setsid unshare -m sh -c "mount --bind '$WORK/ca-bundle.crt' /etc/ssl/certs/ca-certificates.crt && exec env DISPLAY=$DISPLAY_NUMBER \
  HOME='$D' XDG_CONFIG_HOME='$D/.config' XDG_DATA_HOME='$D/.local/share' XDG_CACHE_HOME='$D/.cache' dbus-run-session -- dino-im" \
  > "$WORK/dino.log" 2>&1 &
started $!
sleep 10
shot "$WORK/dino-1-welcome.png"
click 600 522 3                        # Set up account
click 200 92 0.5; type_text "operator@localhost"; click 315 167 3
click 200 99 0.5; type_text "$PASSWORD"; click 302 174 8
shot "$WORK/dino-2-signed-in.png"
click 199 192 3                        # Finish
click 29 28 2; click 80 84 2           # + > Start Conversation
type_text "$DEVICE"; sleep 1
click 188 138 0.5; click 422 28 3      # the device, Start
type_text "status"; X xdotool key Return
sleep 4
shot -crop 1190x690+5+5 +repage "$OUT/dino.png"

ok=1
say "wrote $(ls "$OUT"/{gajim,poezio,profanity,dino}.png | tr '\n' ' ')"
