// Raspberry Pi firmware's get_throttled word (as `vcgencmd get_throttled` prints it, or the sysfs copy).
// Bits 0-3: under-voltage, ARM frequency capped, throttled, soft temperature limit, now; bits 16-19: the same since boot.
// https://www.raspberrypi.com/documentation/computers/os.html#get_throttled
import type { Throttling } from "../sample.js";

/** Always hex: vcgencmd prints "throttled=0x50005", the sysfs file "50005" (the kernel's "%x"). */
export function parseThrottled(text: string): number | null {
  const match = /^(?:throttled=)?(?:0x)?([0-9a-f]+)$/i.exec(text.trim());
  return match ? parseInt(match[1]!, 16) : null;
}

export function throttlingFromBits(bits: number, source: string): Throttling {
  const flag = (bit: number) => ({ value: (bits & (1 << bit)) !== 0, source });
  return {
    underVoltageNow: flag(0),
    freqCappedNow: flag(1),
    throttledNow: flag(2),
    softTempLimitNow: flag(3),
    underVoltageSinceBoot: flag(16),
    freqCappedSinceBoot: flag(17),
    throttledSinceBoot: flag(18),
    softTempLimitSinceBoot: flag(19),
  };
}

export const NO_THROTTLING_INFO: Throttling = {
  underVoltageNow: null,
  freqCappedNow: null,
  throttledNow: null,
  softTempLimitNow: null,
  underVoltageSinceBoot: null,
  freqCappedSinceBoot: null,
  throttledSinceBoot: null,
  softTempLimitSinceBoot: null,
};
