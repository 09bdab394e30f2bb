// A CPU quota for child processes, about what a Pi Zero 2 W's core gives next to this machine's: a cgroup that
// the benchmark makes and always removes (also when it fails or is interrupted). cgroup v2 (cpu.max) where
// /sys/fs/cgroup is unified, else the v1 `cpu` controller (cpu.cfs_quota_us of cpu.cfs_period_us). Root only.
import { existsSync, readFileSync, rmdirSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface CpuQuota {
  /** "20% of one core (cgroup v1 cpu.cfs_quota_us 20000 / cpu.cfs_period_us 100000)" */
  describe: string;
  /** Where a process writes its PID to join the quota. */
  procs: string;
  remove(): void;
}

const PERIOD_US = 100_000;

/** A quota of `share` (0.2: a fifth of one core), or a note saying why there is none. */
export function makeCpuQuota(share: number, name = `bench-pizero-${process.pid}`): CpuQuota | { skipped: string } {
  if (process.getuid?.() !== 0) return { skipped: "not root: no cgroup can be made" };
  const quota = Math.round(share * PERIOD_US);
  const v2 = existsSync("/sys/fs/cgroup/cgroup.controllers");
  const parent = v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/cpu";
  if (!existsSync(parent)) return { skipped: "no cgroup cpu controller mounted" };
  const dir = join(parent, name);
  try {
    if (v2 && !readFileSync(join(parent, "cgroup.subtree_control"), "utf8").includes("cpu")) writeFileSync(join(parent, "cgroup.subtree_control"), "+cpu");
    mkdirSync(dir);
    if (v2) writeFileSync(join(dir, "cpu.max"), `${quota} ${PERIOD_US}`);
    else {
      writeFileSync(join(dir, "cpu.cfs_period_us"), String(PERIOD_US));
      writeFileSync(join(dir, "cpu.cfs_quota_us"), String(quota));
    }
  } catch (err) {
    removeGroup(dir, parent);
    return { skipped: `the cgroup could not be made: ${(err as Error).message}` };
  }
  const remove = () => {
    removeGroup(dir, parent);
    process.removeListener("exit", remove);
  };
  process.on("exit", remove); // an interrupted bench must not leave the cgroup behind
  const describe = v2
    ? `${Math.round(share * 100)}% of one core (cgroup v2 cpu.max "${quota} ${PERIOD_US}")`
    : `${Math.round(share * 100)}% of one core (cgroup v1 cpu.cfs_quota_us ${quota} / cpu.cfs_period_us ${PERIOD_US})`;
  return { describe, procs: join(dir, "cgroup.procs"), remove };
}

/** rmdir fails while a process is inside: any stragglers go back to the parent first. */
function removeGroup(dir: string, parent: string): void {
  if (!existsSync(dir)) return;
  try {
    for (const pid of readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n").filter(Boolean)) {
      try {
        writeFileSync(join(parent, "cgroup.procs"), pid);
      } catch {
        // gone meanwhile
      }
    }
    rmdirSync(dir);
  } catch (err) {
    process.stderr.write(`cpu-quota: could not remove ${dir}: ${(err as Error).message}\n`);
  }
}
