/**
 * The earliest txtime first qdisc (etf): sends each packet at the transmit
 * time its socket set (SO_TXTIME), `delta` nanoseconds ahead, ordered by
 * that time; optionally offloaded to the device's launch-time feature.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cFlags, type FlagTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct, type StructDef } from "../../core/struct.ts";
import { intIn } from "../common.ts";
import type { TcKindCodec } from "../kind.ts";
import { CLOCKID, type ClockId, clockId } from "./sched_layout.ts";

/** TC_ETF_*: etf's modes, by tc(8)'s words. */
const ETF_FLAGS: FlagTable = cFlags(
  "linux/pkt_sched.h",
  "TC_ETF_",
  { DEADLINE_MODE_ON: 1, OFFLOAD_ON: 2, SKIP_SOCK_CHECK: 4 },
  (key) => key.replace(/_ON$/, "").toLowerCase(),
);

/** struct tc_etf_qopt: the delta in nanoseconds, the clock and the modes. */
const TC_ETF_QOPT: StructDef = cStruct("linux/pkt_sched.h", "struct tc_etf_qopt", [
  { c: "delta", type: "s32" },
  { c: "clockid", type: "s32", enum: CLOCKID },
  { c: "flags", type: "u32", flags: ETF_FLAGS },
]);

/** TCA_ETF_*: etf's options. */
const ETF_ATTRS: AttrSchema = attrSchema("TCA_ETF_", "linux/pkt_sched.h", {
  PARMS: { id: 1, type: "struct", struct: TC_ETF_QOPT },
});

/** The etf qdisc (`tc qdisc add … etf clockid CLOCK_TAI delta 300000 offload`). */
export interface EtfOptions {
  /** The kind. */
  kind: "etf";
  /** The clock packets' times are on (`clockid`, required: the kernel takes CLOCK_TAI). */
  clockid: ClockId;
  /** Nanoseconds before its time a packet is dequeued (`delta`, default 0). */
  delta?: number;
  /** Send packets as soon as possible, their time being a deadline (`deadline_mode`). */
  deadlineMode?: boolean;
  /** Offload to the device's launch-time feature (`offload`). */
  offload?: boolean;
  /** Do not require a socket with SO_TXTIME (`skip_sock_check`). */
  skipSockCheck?: boolean;
}

/** etf's decoded options. */
export interface EtfData {
  /** The parameters. */
  parms?: {
    /** Nanoseconds. */
    delta: number;
    /** `TAI`, … or a number. */
    clockid: string | number;
    /** `deadline_mode`, `offload`, `skip_sock_check`. */
    flags: string[];
  };
}

function flag(value: unknown, field: string): boolean {
  if (value === undefined || typeof value === "boolean") return value === true;
  throw new ValidationError(field, value, "expected true or false");
}

/** etf's codec. */
export const ETF: TcKindCodec = {
  options: ETF_ATTRS,
  keys: ["clockid", "delta", "deadlineMode", "offload", "skipSockCheck"],
  encode(o) {
    // Without a clockid tc sends CLOCKID_INVALID (-1), which the kernel refuses.
    const clockid = clockId(o.clockid, "clockid") ?? -1;
    const flags = (flag(o.deadlineMode, "deadlineMode") ? ETF_FLAGS.bit("deadline_mode") : 0) |
      (flag(o.offload, "offload") ? ETF_FLAGS.bit("offload") : 0) |
      (flag(o.skipSockCheck, "skipSockCheck") ? ETF_FLAGS.bit("skip_sock_check") : 0);
    // The kernel refuses a negative delta.
    return { parms: { delta: intIn(o.delta, 0, 0x7fffffff, "delta") ?? 0, clockid, flags } };
  },
};
