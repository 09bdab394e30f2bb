// The agent runs in the test's process: a rejection nobody handled or an exception nobody caught would be the
// agent crashing. Listen at the process level for the whole file and make any such event fail the test.
import assert from "node:assert/strict";

export function crashWatch() {
  const seen: string[] = [];
  const describe = (what: unknown) => (what instanceof Error ? (what.stack ?? what.message) : String(what));
  const onRejection = (reason: unknown) => seen.push(`unhandled rejection: ${describe(reason)}`);
  const onException = (error: unknown) => seen.push(`uncaught exception: ${describe(error)}`);
  process.on("unhandledRejection", onRejection);
  process.on("uncaughtException", onException);
  return {
    assertNone(when: string) {
      assert.deepEqual(seen, [], `the agent crashed ${when}`);
    },
    stop() {
      process.off("unhandledRejection", onRejection);
      process.off("uncaughtException", onException);
    },
  };
}
