/**
 * C constant tables: every numeric constant nlink uses is declared through
 * {@linkcode cTable} together with the header that defines it, so that one audit
 * test can compile a C program against the machine's headers and compare every
 * value (see `tests/unit/constants_audit_test.ts`).
 *
 * @module
 */

/** A registered table: where its constants come from and how their C names are spelled. */
export interface CTableInfo {
  /** The header to `#include`, e.g. `"linux/rtnetlink.h"`. */
  readonly header: string;
  /** The C name prefix, e.g. `"RTM_"`: `RTM_` + key is the C name. */
  readonly prefix: string;
  /** Key → value, as declared in TypeScript. */
  readonly values: Readonly<Record<string, number>>;
  /** C names, per key, that differ from `prefix + key` (rare). */
  readonly cNames: Readonly<Record<string, string>>;
}

/** A registered C struct layout (size and field offsets are audited). */
export interface CStructInfo {
  /** The header to `#include`. */
  readonly header: string;
  /** The C type, e.g. `"struct ifinfomsg"`. */
  readonly cType: string;
  /** Total size in bytes. */
  readonly size: number;
  /** C field name → byte offset. */
  readonly offsets: Readonly<Record<string, number>>;
}

const tables: CTableInfo[] = [];
const structs: CStructInfo[] = [];

/**
 * Declares a table of C constants and registers it for the constants audit.
 *
 * @example
 * ```ts
 * import { cTable } from "./ctable.ts";
 * const NLMSG = cTable("linux/netlink.h", "NLMSG_", { NOOP: 1, ERROR: 2, DONE: 3 });
 * NLMSG.DONE; // 3
 * ```
 */
export function cTable<const T extends Record<string, number>>(
  header: string,
  prefix: string,
  values: T,
  cNames: Partial<Record<keyof T, string>> = {},
): T {
  tables.push({ header, prefix, values, cNames: cNames as Record<string, string> });
  return values;
}

/**
 * Registers a C struct layout for the audit (size and offsets).
 *
 * @example
 * ```ts
 * import { registerCStruct } from "./ctable.ts";
 * registerCStruct("linux/netlink.h", "struct nlmsgerr", 20, { error: 0, msg: 4 });
 * ```
 */
export function registerCStruct(
  header: string,
  cType: string,
  size: number,
  offsets: Record<string, number>,
): void {
  structs.push({ header, cType, size, offsets });
}

/**
 * Every table registered so far (import the modules first).
 *
 * @example
 * ```ts
 * import { registeredTables } from "./ctable.ts";
 * for (const t of registeredTables()) console.log(t.prefix, Object.keys(t.values).length);
 * ```
 */
export function registeredTables(): readonly CTableInfo[] {
  return tables;
}

/**
 * Every struct layout registered so far.
 *
 * @example
 * ```ts
 * import { registeredStructs } from "./ctable.ts";
 * registeredStructs().length;
 * ```
 */
export function registeredStructs(): readonly CStructInfo[] {
  return structs;
}

/**
 * Reverse lookup: value → key of a table (first key wins for aliases).
 *
 * @example
 * ```ts
 * import { cTable, reverseTable } from "./ctable.ts";
 * const T = cTable("linux/netlink.h", "NLMSG_", { NOOP: 1, ERROR: 2 });
 * reverseTable(T).get(2); // "ERROR"
 * ```
 */
export function reverseTable(table: Readonly<Record<string, number>>): Map<number, string> {
  const out = new Map<number, string>();
  for (const [k, v] of Object.entries(table)) if (!out.has(v)) out.set(v, k);
  return out;
}
