/**
 * police: a token-bucket meter (`police rate 1mbit burst 10k conform-exceed
 * drop/pipe`) — by bytes (rate, burst, peakrate, mtu with rate tables), by
 * packets (`pkts_rate`, `pkts_burst`) or by an average rate (`avrate`) —
 * built exactly as iproute2's m_police.c builds it.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import {
  intIn,
  linkLayer,
  optRate,
  optSize,
  type Rate,
  rateSpec,
  type Size,
  sizeAndCell,
  TC_RATESPEC,
} from "../common.ts";
import { VERDICT, type Verdict, verdictValue } from "../constants.ts";
import type { TcKindCodec, TcOptions } from "../kind.ts";
import type { RateSpecData } from "../qdiscs/core.ts";
import { xmitTime } from "../units.ts";
import { TCF_T } from "./common.ts";
import type { TcfTData } from "./gact.ts";

/** struct tc_police: the meter's parameters (its own layout, not tc_gen's). */
const TC_POLICE = cStruct("linux/pkt_cls.h", "struct tc_police", [
  { c: "index", type: "u32" },
  { c: "action", type: "s32", enum: VERDICT },
  { c: "limit", type: "u32" },
  { c: "burst", type: "u32" },
  { c: "mtu", type: "u32" },
  { c: "rate", type: "struct", struct: TC_RATESPEC },
  { c: "peakrate", type: "struct", struct: TC_RATESPEC },
  { c: "refcnt", type: "s32" },
  { c: "bindcnt", type: "s32" },
  { c: "capab", type: "u32" },
]);

/** TCA_POLICE_*. */
export const POLICE_ATTRS: AttrSchema = attrSchema("TCA_POLICE_", "linux/pkt_cls.h", {
  TBF: { id: 1, type: "struct", struct: TC_POLICE },
  RATE: { id: 2, type: "binary", name: "rtab" },
  PEAKRATE: { id: 3, type: "binary", name: "ptab" },
  AVRATE: { id: 4, type: "u32" },
  // A verdict: s32 so that `continue` (-1) reads back by name.
  RESULT: { id: 5, type: "s32", enum: VERDICT },
  TM: { id: 6, type: "struct", struct: TCF_T },
  PAD: { id: 7, type: "pad" },
  RATE64: { id: 8, type: "u64" },
  PEAKRATE64: { id: 9, type: "u64" },
  PKTRATE64: { id: 10, type: "u64" },
  PKTBURST64: { id: 11, type: "u64" },
});

/**
 * A policer (`police rate 1mbit burst 10k`). Give `rate` with `burst`,
 * `pktsRate` with `pktsBurst`, `avrate`, `mtu`, or only `index` (binding an
 * existing policer).
 */
export interface PoliceOptions {
  /** The kind. */
  kind: "police";
  /** The byte rate (`rate`); needs `burst`. */
  rate?: Rate;
  /** The bucket size (`burst`/`buffer`/`maxburst`; `"10k"`, or `"10k/8"` with a rate-table cell size). */
  burst?: Size;
  /** The largest packet (`mtu`/`minburst`, `"2k"` or `"2k/16"`); needed with `peakrate`. */
  mtu?: Size;
  /** Minimum packet unit of the rate tables (`mpu`). */
  mpu?: Size;
  /** The peak byte rate (`peakrate`); needs `rate` and `mtu`. */
  peakrate?: Rate;
  /** Police against the average rate the estimator measures instead (`avrate`; not with `rate`). */
  avrate?: Rate;
  /** Bytes added to each packet (`overhead`). */
  overhead?: number;
  /** Link layer of the rate tables (`linklayer`). */
  linklayer?: "ethernet" | "atm" | "adsl";
  /** The packet rate (`pkts_rate`, packets per second; not with `rate`); needs `pktsBurst`. */
  pktsRate?: number | bigint;
  /** The packet bucket (`pkts_burst`, packets). */
  pktsBurst?: number | bigint;
  /** The verdict for packets over the limit (`conform-exceed EXCEED/…`, or a bare verdict; default `reclassify`). */
  control?: Verdict;
  /** The verdict for packets within the limit (`conform-exceed …/CONFORM`; default `pass`). */
  conform?: Verdict;
}

/** police's decoded options (`burst` and `mtu` of `tbf` in psched ticks and bytes). */
export interface PoliceData {
  /** Parameters: `action` is the exceed verdict, `burst` the bucket in psched ticks. */
  tbf?: {
    index: number;
    action: string | number;
    limit: number;
    burst: number;
    mtu: number;
    rate: RateSpecData;
    peakrate: RateSpecData;
    refcnt: number;
    bindcnt: number;
    capab: number;
  };
  /** The rate table (sent, not dumped). */
  rtab?: Uint8Array;
  /** The peak rate table (sent, not dumped). */
  ptab?: Uint8Array;
  /** The average rate, bytes per second. */
  avrate?: number;
  /** The conform verdict. */
  result?: string | number;
  /** Timestamps. */
  tm?: TcfTData;
  /** The rate when 2^32 bytes/s or more. */
  rate64?: bigint;
  /** The peak rate when 2^32 bytes/s or more. */
  peakrate64?: bigint;
  /** The packet rate. */
  pktrate64?: bigint;
  /** The packet bucket in psched ticks. */
  pktburst64?: bigint;
}

function u64Option(value: unknown, field: string, max: bigint): bigint | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === "number" && Number.isInteger(value) ? BigInt(value) : value;
  if (typeof n !== "bigint" || n < 1n || n > max) {
    throw new ValidationError(field, value, `expected an integer 1..${max}`);
  }
  return n;
}

/** A positive rate or size: tc(8) treats 0 as "not given", so nlink refuses it. */
function positive<T extends bigint | number>(value: T | undefined, raw: unknown, field: string): T | undefined {
  if (value !== undefined && (value === 0 || value === 0n)) throw new ValidationError(field, raw, "must be above 0");
  return value;
}

/** The police codec. */
export const POLICE: TcKindCodec = {
  options: POLICE_ATTRS,
  keys: [
    "rate",
    "burst",
    "mtu",
    "mpu",
    "peakrate",
    "avrate",
    "overhead",
    "linklayer",
    "pktsRate",
    "pktsBurst",
    "control",
    "conform",
  ],
  encode(o: TcOptions) {
    const rate = positive(optRate(o.rate, "rate"), o.rate, "rate");
    const peak = positive(optRate(o.peakrate, "peakrate"), o.peakrate, "peakrate");
    const avrate = positive(optRate(o.avrate, "avrate"), o.avrate, "avrate");
    if (avrate !== undefined && avrate > 0xffffffffn) {
      throw new ValidationError("avrate", o.avrate, "an average rate is at most 4294967295 bytes/s");
    }
    const burst = o.burst === undefined ? undefined : sizeAndCell(o.burst, "burst");
    positive(burst?.size, o.burst, "burst");
    const mtu = o.mtu === undefined ? { size: 0, cellLog: -1 } : sizeAndCell(o.mtu, "mtu");
    positive(o.mtu === undefined ? undefined : mtu.size, o.mtu, "mtu");
    const mpu = optSize(o.mpu, "mpu") ?? 0;
    if (mpu > 0xffff) throw new ValidationError("mpu", o.mpu, "expected at most 65535 bytes");
    const overhead = intIn(o.overhead, 0, 0xffff, "overhead") ?? 0;
    const linklayer = linkLayer(o.linklayer, "linklayer");
    const pps = u64Option(o.pktsRate, "pktsRate", 0xffffffffffffffffn);
    // tc_calc_xmittime takes the packet bucket as a 32-bit size.
    const ppsBurst = u64Option(o.pktsBurst, "pktsBurst", 0xffffffffn);

    if (rate !== undefined && avrate !== undefined) {
      throw new ValidationError("avrate", o.avrate, "give rate or avrate, not both");
    }
    if (rate === undefined && avrate === undefined && o.index === undefined && o.mtu === undefined && !pps) {
      throw new ValidationError("rate", o.rate, "police needs rate, avrate, mtu, pktsRate or an index");
    }
    if (rate !== undefined && burst === undefined) throw new ValidationError("burst", o.burst, "a rate needs a burst");
    if (pps !== undefined && ppsBurst === undefined) {
      throw new ValidationError("pktsBurst", o.pktsBurst, "a pktsRate needs a pktsBurst");
    }
    if (ppsBurst !== undefined && pps === undefined) {
      throw new ValidationError("pktsRate", o.pktsRate, "a pktsBurst needs a pktsRate");
    }
    if (pps !== undefined && rate !== undefined) {
      throw new ValidationError("pktsRate", o.pktsRate, "give rate or pktsRate, not both");
    }
    if (peak !== undefined && rate === undefined) {
      throw new ValidationError("peakrate", o.peakrate, "a peakrate needs a rate");
    }
    if (peak !== undefined && o.mtu === undefined) throw new ValidationError("mtu", o.mtu, "a peakrate needs mtu");

    const conform = o.conform === undefined ? 0 : verdictValue(o.conform, "conform");
    const tbf: Record<string, unknown> = {
      index: intIn(o.index, 0, 0xffffffff, "index") ?? 0,
      action: verdictValue(o.control ?? "reclassify", "control"),
      mtu: mtu.size,
    };
    const out: Record<string, unknown> = { tbf };
    // m_police times the tables and the bucket at the full 64-bit rate (tc_calc_rtable_64).
    const table = { mtu: mtu.size, mpu, overhead, linklayer, table64: true };
    if (rate !== undefined) {
      const r = rateSpec(rate, { ...table, cellLog: burst!.cellLog });
      tbf.rate = r.spec;
      tbf.burst = xmitTime(rate, burst!.size);
      out.rtab = r.table;
      if (rate >= 0x100000000n) out.rate64 = rate;
    }
    if (peak !== undefined) {
      const p = rateSpec(peak, { ...table, cellLog: mtu.cellLog });
      tbf.peakrate = p.spec;
      out.ptab = p.table;
      if (peak >= 0x100000000n) out.peakrate64 = peak;
    }
    if (avrate !== undefined) out.avrate = Number(avrate);
    if (conform !== 0) out.result = conform;
    if (pps !== undefined) {
      out.pktrate64 = pps;
      out.pktburst64 = BigInt(xmitTime(pps, Number(ppsBurst)));
    }
    return out;
  },
};
