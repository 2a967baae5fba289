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
  table ??= { ...CORE_CLI, ...AQM_CLI, ...FAIR_CLI, ...SCHED_CLI };
  return Object.hasOwn(table, kind) ? table[kind] : undefined;
}
