// The two files an enrolment leaves: the password (0600, read by systemd's LoadCredential or xmpp.passwordFile)
// and the config with xmpp.jid. Each is staged beside its target before anything is sent to the server, so a
// directory that cannot be written fails the enrolment before a token is spent, and renamed into place only once
// the account exists: a crash leaves the old file or the new one, never half of one.
import { chownSync, closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync, type Stats } from "node:fs";
import { dirname } from "node:path";
import { EnrolmentFailure } from "./failure.js";

/** Where the installed unit's LoadCredential=xmpp-password reads from (systemd/xmpp-device-agent.service). */
export const UNIT_PASSWORD_FILE = "/etc/xmpp-device-agent/password";
/** The installed unit's AGENT_CONFIG. */
export const UNIT_CONFIG_FILE = "/etc/xmpp-device-agent/config.json";

export interface StagedFile {
  /** The temp file beside the target. */
  path: string;
  /** Replaces the staged content. */
  write(text: string): void;
  /** Renames the staged file over the target. */
  commit(): void;
  discard(): void;
}

/**
 * A temp file beside `target`, created now (so an unwritable directory shows at once). It gets the target's mode
 * and owner when the target exists, else `mode` and, as root, the directory's group (the config in
 * /etc/xmpp-device-agent must stay readable by the agent's group).
 */
export function stageFile(target: string, { mode, what }: { mode: number; what: string }): StagedFile {
  const existing = statOrNull(target);
  const staged = `${target}.enroll-${process.pid}.tmp`;
  const fail = (err: unknown): never => {
    rmSync(staged, { force: true });
    throw new EnrolmentFailure(`${what} ${target} cannot be written (${(err as NodeJS.ErrnoException).code ?? "error"})`, "unwritable");
  };
  const write = (text: string, flag: "wx" | "w") => {
    try {
      const fd = openSync(staged, flag, existing ? existing.mode & 0o7777 : mode);
      try {
        writeSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      keepOwner(staged, existing, target);
    } catch (err) {
      fail(err);
    }
  };
  write("", "wx");
  return {
    path: staged,
    write: (text) => write(text, "w"),
    commit() {
      try {
        renameSync(staged, target);
        syncDirectory(dirname(target));
      } catch (err) {
        fail(err);
      }
    },
    discard: () => rmSync(staged, { force: true }),
  };
}

function keepOwner(staged: string, existing: Stats | null, target: string): void {
  if (process.getuid?.() !== 0) return;
  const owner = existing ?? statOrNull(dirname(target));
  if (!owner) return;
  chownSync(staged, existing ? existing.uid : 0, owner.gid);
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function syncDirectory(dir: string): void {
  // The rename is durable once the directory is: a power cut right after enrolment must not lose the password
  let fd: number | null = null;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Not every filesystem lets a directory be opened for fsync; the rename itself is still atomic
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** A password file that exists and is not empty: install.sh leaves an empty one for LoadCredential. */
export function hasPassword(path: string): boolean {
  try {
    return readFileSync(path, "utf8").split(/\r?\n/)[0] !== "";
  } catch {
    return false;
  }
}

/** The enrolled device's password, to redeem roster invitations with. */
export function passwordIn(path: string): string {
  try {
    return readFileSync(path, "utf8").split(/\r?\n/)[0]!;
  } catch (err) {
    throw new EnrolmentFailure(`the password file ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`, "unwritable");
  }
}
