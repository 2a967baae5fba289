/**
 * Traffic-control numbers shared by qdiscs, classes, filters and actions:
 * the special handles (TC_H_*), the action verdicts (TC_ACT_*), link-layer
 * kinds of rate tables, and the ethernet protocol names filters match on.
 *
 * @module
 */
import { cTable } from "../core/ctable.ts";
import { cEnum, EnumTable } from "../core/enums.ts";
import { ValidationError } from "../core/errors.ts";
import { ETH_P } from "../route/kinds/common.ts";

/** Special handle values (TC_H_*) and minor numbers of the ingress/clsact hooks. */
export const TC_H: Readonly<{
  UNSPEC: number;
  ROOT: number;
  INGRESS: number;
  CLSACT: number;
  MIN_PRIORITY: number;
  MIN_INGRESS: number;
  MIN_EGRESS: number;
}> = cTable("linux/pkt_sched.h", "TC_H_", {
  UNSPEC: 0,
  ROOT: 0xffffffff,
  INGRESS: 0xfffffff1,
  CLSACT: 0xfffffff1,
  MIN_PRIORITY: 0xffe0,
  MIN_INGRESS: 0xfff2,
  MIN_EGRESS: 0xfff3,
});

/** tcm_ifindex of requests on a shared filter block (tcm_parent then holds the block index). */
export const TCM_IFINDEX_MAGIC_BLOCK: number = cTable("linux/rtnetlink.h", "", { TCM_IFINDEX_MAGIC_BLOCK: 0xffffffff })
  .TCM_IFINDEX_MAGIC_BLOCK;

/** Action verdicts (TC_ACT_*). `jump` and `goto chain` are TC_ACT_JUMP / TC_ACT_GOTO_CHAIN with an operand. */
export const TC_ACT: Readonly<
  Record<
    | "UNSPEC"
    | "OK"
    | "RECLASSIFY"
    | "SHOT"
    | "PIPE"
    | "STOLEN"
    | "QUEUED"
    | "REPEAT"
    | "REDIRECT"
    | "TRAP"
    | "JUMP"
    | "GOTO_CHAIN",
    number
  >
> = cTable("linux/pkt_cls.h", "TC_ACT_", {
  UNSPEC: -1,
  OK: 0,
  RECLASSIFY: 1,
  SHOT: 2,
  PIPE: 3,
  STOLEN: 4,
  QUEUED: 5,
  REPEAT: 6,
  REDIRECT: 7,
  TRAP: 8,
  JUMP: 0x10000000,
  GOTO_CHAIN: 0x20000000,
});

/** The opcode bits of an extended verdict (TC_ACT_EXT_OPCODE_MAX) and the operand mask. */
const TC_ACT_EXT_SHIFT = 28;
const TC_ACT_EXT_VAL_MASK = (1 << TC_ACT_EXT_SHIFT) - 1;

/**
 * An action's verdict as tc(8) names it: `continue` (TC_ACT_UNSPEC), `pass`
 * (or `ok`), `drop` (or `shot`), `reclassify`, `pipe`, `stolen`, `trap`,
 * `jump N` (skip N actions) and `goto chain N`.
 */
export type Verdict =
  | "continue"
  | "pass"
  | "ok"
  | "drop"
  | "shot"
  | "reclassify"
  | "pipe"
  | "stolen"
  | "queued"
  | "repeat"
  | "redirect"
  | "trap"
  | `jump ${number}`
  | `goto chain ${number}`;

const VERDICT_NAMES: Readonly<Record<string, number>> = {
  continue: TC_ACT.UNSPEC,
  pass: TC_ACT.OK,
  ok: TC_ACT.OK,
  drop: TC_ACT.SHOT,
  shot: TC_ACT.SHOT,
  reclassify: TC_ACT.RECLASSIFY,
  pipe: TC_ACT.PIPE,
  stolen: TC_ACT.STOLEN,
  queued: TC_ACT.QUEUED,
  repeat: TC_ACT.REPEAT,
  redirect: TC_ACT.REDIRECT,
  trap: TC_ACT.TRAP,
};

/** The names verdicts decode to, as tc(8) prints them (iproute2's action_n2a). */
const VERDICT_PRINT: Readonly<Record<number, Verdict>> = {
  [TC_ACT.UNSPEC]: "continue",
  [TC_ACT.OK]: "pass",
  [TC_ACT.SHOT]: "drop",
  [TC_ACT.RECLASSIFY]: "reclassify",
  [TC_ACT.PIPE]: "pipe",
  [TC_ACT.STOLEN]: "stolen",
  [TC_ACT.TRAP]: "trap",
};

/**
 * The number of a verdict: a name, `jump N`, `goto chain N`, or the number itself.
 *
 * @example
 * ```ts
 * import { verdictValue } from "./constants.ts";
 * verdictValue("drop", "action"); // 2
 * verdictValue("goto chain 5", "action"); // 0x20000005
 * ```
 */
export function verdictValue(v: unknown, field: string): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= -1 && v <= 0xffffffff) return v | 0;
  if (typeof v === "string") {
    const named = VERDICT_NAMES[v];
    if (named !== undefined) return named;
    const m = /^(jump|goto chain) (\d+)$/.exec(v);
    if (m && Number(m[2]) <= TC_ACT_EXT_VAL_MASK) {
      return (m[1] === "jump" ? TC_ACT.JUMP : TC_ACT.GOTO_CHAIN) | Number(m[2]);
    }
  }
  throw new ValidationError(
    field,
    v,
    `expected a verdict: ${Object.keys(VERDICT_NAMES).join(", ")}, "jump N" or "goto chain N"`,
  );
}

/**
 * A verdict's name as tc(8) prints it (`pass`, `drop`, `goto chain 5`, …); a
 * number without a name stays a number.
 *
 * @example
 * ```ts
 * import { verdictName } from "./constants.ts";
 * verdictName(0); // "pass"
 * verdictName(0x10000002); // "jump 2"
 * ```
 */
export function verdictName(n: number): Verdict | number {
  const named = VERDICT_PRINT[n];
  if (named !== undefined) return named;
  const opcode = (n >>> 0) & ~TC_ACT_EXT_VAL_MASK;
  const operand = n & TC_ACT_EXT_VAL_MASK;
  if (opcode === TC_ACT.JUMP) return `jump ${operand}`;
  if (opcode === TC_ACT.GOTO_CHAIN) return `goto chain ${operand}`;
  return n;
}

/** Link layers of rate and size tables (TC_LINKLAYER_*). */
export const TC_LINKLAYER: EnumTable = cEnum("linux/pkt_sched.h", "TC_LINKLAYER_", {
  UNAWARE: 0,
  ETHERNET: 1,
  ATM: 2,
});

/**
 * Ethernet protocol numbers (ETH_P_*) by iproute2's names, for a filter's
 * `protocol` (`all`, `ip`, `ipv6`, `arp`, `802.1Q`, …): the one table link
 * kinds name their protocols with too.
 */
export const ETH_PROTOCOL: EnumTable = ETH_P;

/**
 * Verdicts as an enumeration for struct fields (`action` of tc_gen): names
 * as tc(8) prints them, `jump N` and `goto chain N` included.
 */
class VerdictTable extends EnumTable<string> {
  constructor() {
    super("verdict", { ...TC_ACT }, "lower");
  }
  /** The verdict's name (`pass`, `drop`, `goto chain 5`, …). */
  override name(value: number): string | number {
    return verdictName(value);
  }
  /** The verdict's number. */
  override value(x: string | number, field = "verdict"): number {
    return verdictValue(x, field);
  }
}

/** The verdict enumeration of action parameter structs (`control` of every action). */
export const VERDICT: EnumTable = new VerdictTable();
