/**
 * The rsvp and rsvp6 filters: classify by an RSVP session (destination
 * address, protocol and a generalized port: a port, an IPsec SPI, a flow
 * label or any masked word) and sender (`tc filter add … rsvp ipproto udp
 * session 10.0.0.2/53 sender 10.0.0.1/1000 classid 1:10`). Linux removed
 * them in 6.3; older kernels still have them.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct, type StructDef } from "../../core/struct.ts";
import { ipVersion } from "../../route/kinds/common.ts";
import { IPPROTO } from "../../route/rule_attrs.ts";
import { type Action, type ActionOptions, ACTIONS, actionsValue } from "../action.ts";
import { intIn } from "../common.ts";
import type { Handle } from "../handle.ts";
import type { TcKindCodec } from "../kind.ts";
import { anyOption, CLASSID, classidOf, type FilterPoliceOptions, policeOf } from "./cls_common.ts";
import { POLICE_ATTRS, type PoliceData } from "../actions/police.ts";

/** struct tc_rsvp_gpi: a generalized port id, a masked word at an offset into the transport header. */
const TC_RSVP_GPI: StructDef = cStruct("linux/pkt_cls.h", "struct tc_rsvp_gpi", [
  { c: "key", type: "be32" },
  { c: "mask", type: "be32" },
  { c: "offset", type: "s32" },
]);

/** struct tc_rsvp_pinfo: the session's and sender's port ids, the protocol, and tunnel settings. */
const TC_RSVP_PINFO: StructDef = cStruct("linux/pkt_cls.h", "struct tc_rsvp_pinfo", [
  { c: "dpi", type: "struct", struct: TC_RSVP_GPI },
  { c: "spi", type: "struct", struct: TC_RSVP_GPI },
  { c: "protocol", type: "u8" },
  { c: "tunnelid", type: "u8" },
  { c: "tunnelhdr", type: "u8" },
  { c: "pad", type: "u8" },
]);

/** TCA_RSVP_*: rsvp and rsvp6 filter options. */
export const RSVP_ATTRS: AttrSchema = attrSchema("TCA_RSVP_", "linux/pkt_cls.h", {
  CLASSID: { id: 1, type: "custom", codec: CLASSID },
  DST: { id: 2, type: "addr" },
  SRC: { id: 3, type: "addr" },
  PINFO: { id: 4, type: "struct", struct: TC_RSVP_PINFO },
  POLICE: { id: 5, type: "nested", schema: POLICE_ATTRS },
  ACT: { id: 6, type: "custom", codec: ACTIONS },
});

/**
 * A generalized port id: an IPsec SPI (`spi/ah 0x99`, `spi/esp 0x1234`; the
 * protocol defaults to AH or ESP), an IPv6 flow label (`flowlabel N`, rsvp6
 * only), or a masked word of the transport header (`u16 80 mask 0xffff at 2`).
 *
 * tc(8) places a `u8` at offsets 4N+2 and 4N+3 in each other's byte; nlink
 * places it where the offset says.
 */
export type RsvpGpi =
  | { type: "ah" | "esp"; spi: number }
  | { type: "flowlabel"; value: number }
  | { type: "u32" | "u16" | "u8"; value: number; mask?: number; at?: number };

/** An RSVP filter (`rsvp` for IPv4, `rsvp6` for IPv6). */
export interface RsvpOptions {
  /** The kind. */
  kind: "rsvp" | "rsvp6";
  /** The session: its destination address, with `/PORT` for a destination port (`session 10.0.0.2/53`). */
  session?: string;
  /** The session's port id other than a port. */
  sessionGpi?: RsvpGpi;
  /** The sender: its source address, with `/PORT` for a source port (`sender 10.0.0.1/1000`). */
  sender?: string;
  /** The sender's port id other than a port. */
  senderGpi?: RsvpGpi;
  /** The IP protocol (`ipproto`, a name such as `"udp"` or a number). */
  ipproto?: string | number;
  /** The class matching packets go to (`classid`/`flowid`). */
  classid?: Handle;
  /** The tunnel id this session carries (`tunnelid`, 0..255). */
  tunnelid?: number;
  /** Makes this session a tunnel (`tunnel ID skip N`): its id and the bytes of tunnel header to skip. */
  tunnel?: { id: number; skip: number };
  /** An old-style policer (`police …` among the filter's words), sent in TCA_*_POLICE. */
  police?: FilterPoliceOptions;
  /** Actions on matching packets (`action …`). */
  actions?: ActionOptions[];
}

/** A decoded generalized port id (key and mask as big-endian words). */
export interface RsvpGpiData {
  /** The value. */
  key: number;
  /** The bits that count. */
  mask: number;
  /** The word's offset. */
  offset: number;
}

/** rsvp's decoded options. */
export interface RsvpData {
  /** The class (`"1:10"`), or a tunnel's id as a class id. */
  classid?: string;
  /** The session's address. */
  dst?: string;
  /** The sender's address. */
  src?: string;
  /** Port ids, protocol and tunnel settings. */
  pinfo?: { dpi: RsvpGpiData; spi: RsvpGpiData; protocol: number; tunnelid: number; tunnelhdr: number; pad: number };
  /** The old-style policer. */
  police?: PoliceData;
  /** Actions. */
  act?: Action[];
}

const RSVP_KEYS = [
  "session",
  "sessionGpi",
  "sender",
  "senderGpi",
  "ipproto",
  "classid",
  "tunnelid",
  "tunnel",
  "police",
  "actions",
];

const ZERO_GPI = { key: 0, mask: 0, offset: 0 };
const IPPROTO_AH = 51, IPPROTO_ESP = 50;

/** A generalized port id as tc(8) builds it; `implied` is the protocol an SPI implies. */
function gpiOf(g: RsvpGpi, v6: boolean, path: string): { gpi: RsvpGpiData; implied: number } {
  if (g === null || typeof g !== "object") throw new ValidationError(path, g, "expected a port id");
  const word = (x: unknown, p: string) => intIn(x, 0, 0xffffffff, p)!;
  switch (g.type) {
    case "ah":
    case "esp": {
      const spi = word(g.spi, `${path}.spi`);
      const ah = g.type === "ah";
      return { gpi: { key: spi, mask: 0xffffffff, offset: ah ? 4 : 0 }, implied: ah ? IPPROTO_AH : IPPROTO_ESP };
    }
    case "flowlabel": {
      if (!v6) throw new ValidationError(`${path}.type`, g.type, "a flow label is for rsvp6");
      const label = word(g.value, `${path}.value`);
      // The flow label is in the IPv6 header, 40 bytes before the transport header.
      return { gpi: { key: label & 0xfffff, mask: 0xfffff, offset: -40 }, implied: 0 };
    }
    case "u32":
    case "u16":
    case "u8": {
      const max = g.type === "u32" ? 0xffffffff : g.type === "u16" ? 0xffff : 0xff;
      let value = intIn(g.value, 0, max, `${path}.value`)!;
      let mask = g.mask === undefined ? max : intIn(g.mask, 0, max, `${path}.mask`)!;
      const at = intIn(g.at, -0x80000000, 0x7fffffff, `${path}.at`) ?? 0;
      // Narrow values sit in their 32-bit word by the offset's remainder.
      const shift = g.type === "u16" ? ((at & 3) === 0 ? 16 : 0) : g.type === "u8" ? [24, 16, 8, 0][at & 3] : 0;
      value = (value << shift) >>> 0;
      mask = (mask << shift) >>> 0;
      return { gpi: { key: (value & mask) >>> 0, mask, offset: at & ~3 }, implied: 0 };
    }
    default:
      throw new ValidationError(
        `${path}.type`,
        (g as { type?: unknown }).type,
        "expected ah, esp, flowlabel, u32, u16 or u8",
      );
  }
}

/**
 * An address with an optional `/PORT`: the address, and the port as a port id
 * (a destination port is the low half of the transport header's first word,
 * a source port the high half).
 */
function endpoint(
  text: unknown,
  gpi: RsvpGpi | undefined,
  destination: boolean,
  v6: boolean,
  field: string,
): { address: string; pi: RsvpGpiData; implied: number } {
  if (typeof text !== "string") throw new ValidationError(field, text, "expected an address, with /PORT for a port");
  const slash = text.indexOf("/");
  const address = slash < 0 ? text : text.slice(0, slash);
  ipVersion(address, field, v6 ? 6 : 4);
  if (slash >= 0) {
    if (gpi !== undefined) {
      throw new ValidationError(`${field}Gpi`, gpi, `give a port in ${field} or a port id, not both`);
    }
    const portText = text.slice(slash + 1);
    const port = /^(0x[0-9a-fA-F]+|\d+)$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 0 && port <= 0xffff)) throw new ValidationError(field, text, "the port must be 0..65535");
    const pi = destination
      ? { key: port, mask: 0xffff, offset: 0 }
      : { key: port * 0x10000, mask: 0xffff0000, offset: 0 };
    return { address, pi, implied: 0 };
  }
  if (gpi === undefined) return { address, pi: ZERO_GPI, implied: 0 };
  const { gpi: pi, implied } = gpiOf(gpi, v6, `${field}Gpi`);
  return { address, pi, implied };
}

/** The rsvp (`v6`: rsvp6) codec. */
function rsvp(v6: boolean): TcKindCodec {
  return {
    options: RSVP_ATTRS,
    keys: RSVP_KEYS,
    encode(o, ctx) {
      if (!anyOption(o, RSVP_KEYS)) return undefined;
      if (o.session === undefined && ctx.op !== "change") {
        throw new ValidationError("session", o.session, "an rsvp filter needs a session (its destination)");
      }
      if (o.sessionGpi !== undefined && o.session === undefined) {
        throw new ValidationError("sessionGpi", o.sessionGpi, "a port id needs its session");
      }
      if (o.senderGpi !== undefined && o.sender === undefined) {
        throw new ValidationError("senderGpi", o.senderGpi, "a port id needs its sender");
      }
      if (o.tunnel !== undefined && o.classid !== undefined) {
        throw new ValidationError("tunnel", o.tunnel, "a tunnel's id takes the place of classid: give one");
      }
      const out: Record<string, unknown> = {};
      let dpi = ZERO_GPI, spi = ZERO_GPI, protocol = 0;
      if (o.session !== undefined) {
        const e = endpoint(o.session, o.sessionGpi as RsvpGpi | undefined, true, v6, "session");
        out.dst = e.address;
        dpi = e.pi;
        protocol ||= e.implied;
      }
      if (o.sender !== undefined) {
        const e = endpoint(o.sender, o.senderGpi as RsvpGpi | undefined, false, v6, "sender");
        out.src = e.address;
        spi = e.pi;
        protocol ||= e.implied;
      }
      if (o.ipproto !== undefined) {
        protocol = IPPROTO.value(o.ipproto as string | number, "ipproto");
        if (protocol < 0 || protocol > 255) {
          throw new ValidationError("ipproto", o.ipproto, "expected a protocol 0..255");
        }
      }
      const police = policeOf(o, ctx);
      if (police !== undefined) out.police = police;
      const classid = classidOf(o);
      if (classid !== undefined) out.classid = classid;
      let tunnelhdr = 0;
      if (o.tunnel !== undefined) {
        const t = o.tunnel as { id?: unknown; skip?: unknown };
        if (t === null || typeof t !== "object") throw new ValidationError("tunnel", t, "expected { id, skip }");
        out.classid = intIn(t.id, 0, 0xffffffff, "tunnel.id");
        tunnelhdr = intIn(t.skip, 0, 0xff, "tunnel.skip") ?? 0;
      }
      const tunnelid = intIn(o.tunnelid, 0, 0xff, "tunnelid");
      if (o.actions !== undefined) out.act = actionsValue(o.actions, ctx, "actions");
      // tc sends the port info once anything in it was given.
      if (dpi.mask || spi.mask || protocol || o.ipproto !== undefined || tunnelid !== undefined || o.tunnel) {
        out.pinfo = { dpi, spi, protocol, tunnelid: tunnelid ?? 0, tunnelhdr, pad: 0 };
      }
      return out;
    },
  };
}

/** The rsvp (IPv4) codec. */
export const RSVP: TcKindCodec = rsvp(false);

/** The rsvp6 (IPv6) codec. */
export const RSVP6: TcKindCodec = rsvp(true);
