/**
 * Traffic-control handles as tc(8) writes them: `1:` (a qdisc), `1:10` (a
 * class), `:10`, `root`, `none`, hexadecimal numbers, and the hooks `ingress`,
 * `egress` and `clsact`. Parsing follows iproute2's get_qdisc_handle and
 * get_tc_classid; printing follows its print_tc_classid.
 *
 * @module
 */
import { ValidationError } from "../core/errors.ts";
import { TC_H } from "./constants.ts";

/** A handle: tc(8) text (`"1:"`, `"1:10"`, `"root"`, …) or the 32-bit number. */
export type Handle = string | number;

const HEX = /^[0-9a-fA-F]+$/;

function u32(value: unknown, field: string): number | undefined {
  if (typeof value !== "number") return undefined;
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new ValidationError(field, value, "expected a 32-bit handle");
  }
  return value;
}

function hex16(text: string, field: string, whole: unknown): number {
  const n = text === "" ? 0 : HEX.test(text) ? parseInt(text, 16) : NaN;
  if (!(n < 0x10000)) throw new ValidationError(field, whole, "expected MAJOR:MINOR in hexadecimal, each below 10000");
  return n;
}

/**
 * A qdisc handle (`"1:"`, `"1"`, `"none"` or the number): the major number
 * shifted into the upper half, as `tc qdisc … handle` reads it.
 *
 * @example
 * ```ts
 * import { parseQdiscHandle } from "./handle.ts";
 * parseQdiscHandle("1:", "handle"); // 0x10000
 * parseQdiscHandle("ffff:", "handle"); // 0xffff0000
 * ```
 */
export function parseQdiscHandle(value: Handle, field: string): number {
  const n = u32(value, field);
  if (n !== undefined) return n;
  if (typeof value !== "string") throw new ValidationError(field, value, 'expected a handle such as "1:"');
  if (value === "none") return 0;
  const m = /^([0-9a-fA-F]+):?$/.exec(value);
  if (!m) throw new ValidationError(field, value, 'expected a qdisc handle such as "1:"');
  return hex16(m[1], field, value) * 0x10000;
}

/**
 * A class id or parent (`"1:10"`, `"1:"`, `":10"`, `"root"`, `"none"`,
 * `"ffff:fff1"`, a bare hexadecimal number, or the number), as `tc … classid`
 * and `parent` read it.
 *
 * @example
 * ```ts
 * import { parseClassId } from "./handle.ts";
 * parseClassId("1:10", "classid"); // 0x10010
 * parseClassId("root", "parent"); // 0xffffffff
 * ```
 */
export function parseClassId(value: Handle, field: string): number {
  const n = u32(value, field);
  if (n !== undefined) return n;
  if (typeof value !== "string") throw new ValidationError(field, value, 'expected a class id such as "1:10"');
  if (value === "root") return TC_H.ROOT;
  if (value === "none") return TC_H.UNSPEC;
  const colon = value.indexOf(":");
  if (colon < 0) {
    if (!HEX.test(value) || value.length > 8) throw new ValidationError(field, value, "expected MAJOR:MINOR");
    return parseInt(value, 16);
  }
  const major = hex16(value.slice(0, colon), field, value);
  const minor = hex16(value.slice(colon + 1), field, value);
  return (major * 0x10000 + minor) >>> 0;
}

/**
 * A handle as tc(8) prints it: `root`, `none`, `1:`, `:10`, `1:10`.
 *
 * @example
 * ```ts
 * import { formatHandle } from "./handle.ts";
 * formatHandle(0x10010); // "1:10"
 * formatHandle(0xffff0000); // "ffff:"
 * ```
 */
export function formatHandle(h: number): string {
  if (h === TC_H.ROOT) return "root";
  if (h === TC_H.UNSPEC) return "none";
  const major = h >>> 16;
  const minor = h & 0xffff;
  if (major === 0) return `:${minor.toString(16)}`;
  if (minor === 0) return `${major.toString(16)}:`;
  return `${major.toString(16)}:${minor.toString(16)}`;
}

/**
 * Where a filter or class attaches: a class id, or a hook of a clsact or
 * ingress qdisc (`"ingress"`, `"egress"`), as `tc filter … parent` and the
 * `ingress`/`egress` keywords give it.
 *
 * @example
 * ```ts
 * import { parseParent } from "./handle.ts";
 * parseParent("ingress", "parent"); // 0xfffffff2
 * parseParent("1:", "parent"); // 0x10000
 * ```
 */
export function parseParent(value: Handle, field: string): number {
  if (value === "ingress") return makeHandle(TC_H.CLSACT, TC_H.MIN_INGRESS);
  if (value === "egress") return makeHandle(TC_H.CLSACT, TC_H.MIN_EGRESS);
  return parseClassId(value, field);
}

/**
 * TC_H_MAKE: the major half of `major` and the minor half of `minor`, as one unsigned handle.
 *
 * @example
 * ```ts
 * import { makeHandle } from "./handle.ts";
 * makeHandle(0xfffffff1, 0xfff3); // 0xfffffff3
 * ```
 */
export function makeHandle(major: number, minor: number): number {
  return ((major & 0xffff0000) | (minor & 0xffff)) >>> 0;
}
