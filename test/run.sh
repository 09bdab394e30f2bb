#!/usr/bin/env bash
# The test suites behind `npm test` (main), `npm run test:faults`, `npm run test:ejabberd` and
# `npm run test:systemd` (the packages under a real systemd in containers: test/systemd/).
# Each builds, makes sure the Debian packages the tests run are there (test/support/preflight.ts), runs its
# files one at a time, and ends with the secrets scan over every agent log line captured so far
# (test/faults/secrets.test.ts): main starts the capture afresh, the others add to it.
set -uo pipefail
cd "$(dirname "$0")/.."
suite=${1:-main}

[ -d node_modules/typescript ] || npm ci --no-audit --no-fund || exit 1
# Compiled files of a renamed or deleted source would still run: build from clean output directories
rm -rf dist build/src build/test build/bench build/tools
npm run --silent build && npm run --silent build:test || exit 1
node build/test/support/preflight.js || exit 1

export AGENT_TEST_CAPTURE_DIR=build/test-capture
case "$suite" in
  main)
    rm -rf "$AGENT_TEST_CAPTURE_DIR"
    files=$(find build/src build/test -name '*.test.js' -not -path 'build/test/faults/*' -not -path 'build/test/systemd/*' | sort) ;;
  faults)
    files=$(find build/test/faults -name '*.test.js' -not -name secrets.test.js | sort) ;;
  ejabberd)
    # The integration tests that take their server from test/support/server.ts (directly or through the scene)
    export XMPP_TEST_SERVER=ejabberd
    files=$(grep -lE 'support/(scene|server)[.]js' $(find build/test -name '*.test.js' -not -path 'build/test/faults/*' -not -path 'build/test/systemd/*') | sort) ;;
  systemd)
    files=$(find build/test/systemd -name '*.test.js' | sort) ;;
  *) echo "usage: bash test/run.sh [main|faults|ejabberd|systemd]" >&2; exit 64 ;;
esac

# With no file named, node --test would go looking for tests everywhere: an empty list is an error here
[ -n "$files" ] || { echo "test/run.sh $suite: no test files found" >&2; exit 1; }
node --test --test-concurrency=1 $files
status=$?
node --test build/test/faults/secrets.test.js || status=1
exit $status
