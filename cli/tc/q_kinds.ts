/**
 * Every qdisc and class kind `tc` knows on the command line, by name: the
 * parsers and printers of cli/tc/q_*.ts (one file per group, as in
 * src/tc/qdiscs).
 *
 * @module
 */
import { AQM_CLI } from "./q_aqm.ts";
import { CORE_CLI } from "./q_core.ts";
import { FAIR_CLI } from "./q_fair.ts";
import { AQM_PRINT } from "./q_print_aqm.ts";
import { CAKE_PRINT } from "./q_print_cake.ts";
import { FAIR_PRINT } from "./q_print_fair.ts";
import { MQ_PRINT } from "./q_print_mq.ts";
import { SCHED_CLI } from "./q_sched.ts";
import type { QdiscKindCli } from "./q_types.ts";

let table: Record<string, QdiscKindCli> | undefined;

/**
 * The command-line parser and printers of a kind (undefined: tc knows it only by name).
 *
 * @example
 * ```ts ignore
 * qdiscKindCli("htb")?.parse;
 * ```
 */
export function qdiscKindCli(kind: string): QdiscKindCli | undefined {
  if (table === undefined) {
    table = { ...CORE_CLI, ...AQM_CLI, ...FAIR_CLI, ...SCHED_CLI };
    // the printers live apart from the parsers (one file per group of each)
    const printers: Record<string, Partial<QdiscKindCli>> = { ...AQM_PRINT, ...CAKE_PRINT, ...FAIR_PRINT, ...MQ_PRINT };
    for (const [name, print] of Object.entries(printers)) table[name] = { ...table[name], ...print };
  }
  return Object.hasOwn(table, kind) ? table[kind] : undefined;
}
