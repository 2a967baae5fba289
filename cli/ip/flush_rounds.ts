/**
 * iproute2's `-s` report of a flush that runs in rounds (`ip address flush`,
 * `ip route flush`): a line per round, then how many rounds it took.
 *
 * @module
 */
import type { Printer } from "../common/output.ts";

/**
 * Counts a flush's rounds and prints them when `stats` is set: give
 * `onRound` to the library's flush, then call `finish` once it is done.
 *
 * @example
 * ```ts ignore
 * const report = flushRounds(out, ctx.stats, "entries");
 * await conn.flushRoutes({ table: "all", onRound: report.onRound });
 * report.finish();
 * ```
 */
export function flushRounds(
  out: Printer,
  stats: number,
  noun: string,
): { onRound: (round: number, deleted: number) => void; finish: () => void } {
  let rounds = 0;
  return {
    onRound: (round, deleted) => {
      rounds = round;
      if (stats) out.write(`\n*** Round ${round}, deleting ${deleted} ${noun} ***\n`);
      out.flush();
    },
    finish: () => {
      if (stats) {
        if (rounds === 0) out.write("Nothing to flush.\n");
        else out.write(`*** Flush is complete after ${rounds} round${rounds > 1 ? "s" : ""} ***\n`);
      }
      out.flush();
    },
  };
}
