// What a silence may ask for, by chat (`silence 30 firmware update`) or by the ad-hoc form: one rule, and
// each asker says "no" in its own words. Pure.

/** The longest maintenance window: a week. */
export const MAX_SILENCE_MINUTES = 7 * 24 * 60;
/** A status line has little room: a longer reason is cut to this. */
export const MAX_REASON = 100;

/** Minutes as typed: digits only, from 1 to MAX_SILENCE_MINUTES; null for anything else ("", "1.5", "1e2", "-3"). */
export function silenceMinutes(text: string): number | null {
  const minutes = Number(text);
  return /^\d+$/.test(text) && minutes >= 1 && minutes <= MAX_SILENCE_MINUTES ? minutes : null;
}

export const silenceReason = (text: string) => text.slice(0, MAX_REASON);
