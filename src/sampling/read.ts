// The I/O edge of sampling: small text files under a root directory ("/" in production, a fixture tree in
// tests). Reads are synchronous: each file is a few hundred bytes served by the kernel from memory, and a
// sync read costs less CPU than a trip through libuv's thread pool (bench/sampling.bench.ts).
import { readFileSync, readdirSync } from "node:fs";
import { statfs } from "node:fs/promises";
import { join } from "node:path";
import type { StatfsNumbers } from "./parse/statfs.js";

export interface SystemFiles {
  root: string;
  /** The file's text, or null when it does not exist or cannot be read (a missing sensor is not an error). */
  read(path: string): string | null;
  list(dir: string): string[];
  statfs(mount: string): Promise<StatfsNumbers | null>;
}

export function systemFiles(root = "/"): SystemFiles {
  return {
    root,
    read(path) {
      try {
        return readFileSync(join(root, path), "utf8");
      } catch {
        return null;
      }
    },
    list(dir) {
      try {
        return readdirSync(join(root, dir)).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
      } catch {
        return [];
      }
    },
    async statfs(mount) {
      try {
        const s = await statfs(join(root, mount));
        return { bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail };
      } catch {
        return null;
      }
    },
  };
}
