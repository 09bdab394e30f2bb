#!/bin/bash
# `npm run package` (after `npm run build`): the release tarball and the .deb, from the built tree.
#   OUT/xmpp-device-agent-<version>.tar.gz   dist/ (the agent and its dependencies in one file), the unit, install.sh, config,
#                                            README.md, docs/operators.md: `sudo ./install.sh` installs it
#   OUT/xmpp-device-agent_<version>_all.deb  the same program for dpkg/apt (Depends: nodejs (>= 20))
# Usage: bash systemd/package.sh [--out DIR] [--stage-only]     (default OUT: build/package)
# --stage-only stops after the unpacked tarball tree, OUT/stage/xmpp-device-agent-<version> (install tests).
# Reproducible: files are sorted, owned by root, dated SOURCE_DATE_EPOCH (default: the last commit).
set -euo pipefail

NAME=xmpp-device-agent
REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=$REPO/build/package
STAGE_ONLY=no
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=$(mkdir -p "$2" && cd "$2" && pwd); shift 2 ;;
    --stage-only) STAGE_ONLY=yes; shift ;;
    *) echo "package.sh: unknown option $1" >&2; exit 64 ;;
  esac
done
die() { echo "package.sh: $*" >&2; exit 1; }

cd "$REPO"
[ -f dist/cli.js ] || die "dist/cli.js is missing: npm run build first (npm run package does)"
VERSION=$(node -p 'require("./package.json").version')
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
MAINTAINER=${DEB_MAINTAINER:-"xmpp-device-agent maintainers <xmpp-device-agent@example.org>"}
DIRNAME=$NAME-$VERSION
STAGE=$OUT/stage/$DIRNAME

# 1. The tarball's tree. dist/cli.js holds the agent and every dependency (tools/bundle.mjs): no node_modules,
# so nothing to prune and no native addon that would make the packages per-architecture.
rm -rf "$OUT/stage" "$OUT/deb"
mkdir -p "$STAGE/config" "$STAGE/docs"
cp -R dist "$STAGE/"
find "$STAGE/dist" -name '*.map' -delete # no --enable-source-maps in the unit: maps would only be downloaded
[ "$(find "$STAGE/dist" -name '*.js' | wc -l)" = 1 ] || die "dist/ holds more than the bundled cli.js: npm run build afresh"
cp package.json "$STAGE/"
cp config/example.json "$STAGE/config/"
cp README.md "$STAGE/"
cp docs/operators.md "$STAGE/docs/"
cp systemd/install.sh systemd/initial-config.mjs "systemd/$NAME.service" "systemd/$NAME-watch.service" "systemd/$NAME.sysusers" "$STAGE/"
chmod -R u=rwX,go=rX "$STAGE"
chmod 0755 "$STAGE/install.sh" "$STAGE/dist/cli.js"
[ "$STAGE_ONLY" = no ] || { echo "$STAGE"; exit 0; }

TAR=(tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" --format=gnu)
"${TAR[@]}" -C "$OUT/stage" -cf - "$DIRNAME" | gzip -9n > "$OUT/$DIRNAME.tar.gz"

# 2. The .deb: Debian paths (/usr/lib, /lib/systemd/system; lintian refuses /opt), same program and unit
DEB=$OUT/deb/$NAME
LIB=$DEB/usr/lib/$NAME
DOC=$DEB/usr/share/doc/$NAME
mkdir -p "$LIB" "$DEB/lib/systemd/system" "$DEB/usr/lib/sysusers.d" "$DEB/usr/bin" "$DOC" "$DEB/DEBIAN"
cp -R "$STAGE/dist" "$STAGE/package.json" "$STAGE/config" "$STAGE/initial-config.mjs" "$LIB/"
cp "systemd/$NAME.service" "systemd/$NAME-watch.service" "$DEB/lib/systemd/system/"
cp "systemd/$NAME.sysusers" "$DEB/usr/lib/sysusers.d/$NAME.conf"
ln -s "../lib/$NAME/dist/cli.js" "$DEB/usr/bin/$NAME"
cp README.md docs/operators.md "$DOC/"
mkdir -p "$DEB/usr/share/man/man1"
gzip -9n < "systemd/$NAME.1" > "$DEB/usr/share/man/man1/$NAME.1.gz"
date_r=$(date -u -R -d "@$SOURCE_DATE_EPOCH")
printf '%s (%s) unstable; urgency=medium\n\n  * Release %s; see README.md.\n\n -- %s  %s\n' \
  "$NAME" "$VERSION" "$VERSION" "$MAINTAINER" "$date_r" | gzip -9n > "$DOC/changelog.gz"
cat > "$DOC/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: $NAME

Files: *
Copyright: $(date -u -d "@$SOURCE_DATE_EPOCH" +%Y) the $NAME authors
License: MIT

Files: usr/lib/$NAME/dist/cli.js
Copyright: $(date -u -d "@$SOURCE_DATE_EPOCH" +%Y) the $NAME authors, and the authors of the npm packages
 bundled into it, each named in usr/lib/$NAME/dist/third-party-notices.txt
License: MIT and various free licenses (MIT, ISC, Apache-2.0), in usr/lib/$NAME/dist/third-party-notices.txt

License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
 associated documentation files (the "Software"), to deal in the Software without restriction, including
 without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the
 following conditions:
 .
 The above copyright notice and this permission notice shall be included in all copies or substantial
 portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
 LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.
EOF
cp systemd/debian/postinst systemd/debian/prerm systemd/debian/postrm "$DEB/DEBIAN/"
cat > "$DEB/DEBIAN/control" <<EOF
Package: $NAME
Version: $VERSION
Architecture: all
Maintainer: $MAINTAINER
Installed-Size: $(du -sk --exclude=DEBIAN "$DEB" | cut -f1)
Depends: nodejs (>= 20), systemd, init-system-helpers (>= 1.54~)
Section: net
Priority: optional
Description: publishes a small Linux device's health as XMPP presence
 An agent for Raspberry Pi-class devices: it logs into an XMPP account and
 turns CPU, memory, disk, temperature and Raspberry Pi power health into
 presence (available, away, dnd, xa), so operators see their fleet in the
 roster of the chat client they already use, and ask a device how it is by
 chat message or ad-hoc command.
 .
 Needs Node.js 20 or newer: Debian 12's nodejs is 18, so install it from
 NodeSource or similar first.
EOF
chmod -R u=rwX,go=rX "$DEB"
chmod 0755 "$DEB/DEBIAN/postinst" "$DEB/DEBIAN/prerm" "$DEB/DEBIAN/postrm" "$LIB/dist/cli.js"
(cd "$DEB" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum > DEBIAN/md5sums)
chmod 0644 "$DEB/DEBIAN/md5sums"
find "$DEB" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
dpkg-deb --root-owner-group -Zxz --build "$DEB" "$OUT/${NAME}_${VERSION}_all.deb" > /dev/null

for f in "$OUT/$DIRNAME.tar.gz" "$OUT/${NAME}_${VERSION}_all.deb"; do
  echo "$f $(stat -c %s "$f") bytes"
done
