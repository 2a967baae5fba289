/**
 * SRv6 as data: the segment routing header (struct ipv6_sr_hdr with its HMAC
 * TLV), `encap seg6` (SEG6_IPTUNNEL_*: a mode and an SRH) and `encap
 * seg6local` (SEG6_LOCAL_*: an action and its parameters), with iproute2's
 * names for modes, actions and flavors.
 *
 * @module
 */
import { cTable } from "../core/ctable.ts";
import { cEnum, type EnumTable, FlagTable } from "../core/enums.ts";
import { DecodeError, ValidationError } from "../core/errors.ts";
import { type AttrSchema, attrSchema, type CustomCodec } from "../core/schema.ts";
import { cStruct } from "../core/struct.ts";
import type { MessageWriter } from "../core/writer.ts";
import { formatIPv6, parseIPv6Into } from "../util/addr.ts";

/** `encap seg6` modes (SEG6_IPTUN_MODE_*), named as iproute2 names them (`encap.red`, …). */
export const SEG6_MODE: EnumTable = cEnum(
  "linux/seg6_iptunnel.h",
  "SEG6_IPTUN_MODE_",
  { INLINE: 0, ENCAP: 1, L2ENCAP: 2, ENCAP_RED: 3, L2ENCAP_RED: 4 },
  (k) => k.toLowerCase().replace("_", "."),
);

/** seg6local actions (SEG6_LOCAL_ACTION_*), named as iproute2 names them (`End.DT6`, `End.B6.Encaps`, …). */
export const SEG6_LOCAL_ACTION: EnumTable = cEnum(
  "linux/seg6_local.h",
  "SEG6_LOCAL_ACTION_",
  {
    UNSPEC: 0,
    END: 1,
    END_X: 2,
    END_T: 3,
    END_DX2: 4,
    END_DX6: 5,
    END_DX4: 6,
    END_DT6: 7,
    END_DT4: 8,
    END_B6: 9,
    END_B6_ENCAP: 10,
    END_BM: 11,
    END_S: 12,
    END_AS: 13,
    END_AM: 14,
    END_BPF: 15,
    END_DT46: 16,
  },
  (k) => {
    if (k === "UNSPEC") return "unspec";
    if (k === "END_B6_ENCAP") return "End.B6.Encaps";
    return k.split("_").map((p, i) => (i === 0 ? "End" : p)).join(".");
  },
);

/** seg6local flavor operations (SEG6_LOCAL_FLV_OP_*): enum values, each a bit position. */
const SEG6_LOCAL_FLV_OP = cTable("linux/seg6_local.h", "SEG6_LOCAL_FLV_OP_", {
  PSP: 1,
  USP: 2,
  USD: 3,
  NEXT_CSID: 4,
});

/** seg6local flavors as the bit mask SEG6_LOCAL_FLV_OPERATION holds: `psp`, `usp`, `usd`, `next-csid`. */
export const SEG6_LOCAL_FLAVORS: FlagTable = new FlagTable(
  "seg6local flavors",
  Object.fromEntries(Object.entries(SEG6_LOCAL_FLV_OP).map(([k, v]) => [k, 1 << v])),
  (k) => k.toLowerCase().replace("_", "-"),
);

/** SRH flag bits and TLV types (linux/seg6.h). */
const SR6 = cTable("linux/seg6.h", "SR6_", { FLAG1_HMAC: 1 << 3, TLV_HMAC: 5 });

/** The routing header type of an SRH (IPV6_SRCRT_TYPE_4, linux/ipv6.h). */
const IPV6_SRCRT = cTable("linux/ipv6.h", "IPV6_SRCRT_", { TYPE_4: 4 });

/** struct ipv6_sr_hdr: the fixed part, before the segment list. */
const IPV6_SR_HDR = cStruct("linux/seg6.h", "struct ipv6_sr_hdr", [
  { c: "nexthdr", type: "u8" },
  { c: "hdrlen", type: "u8" },
  { c: "type", type: "u8" },
  { c: "segments_left", type: "u8" },
  { c: "first_segment", type: "u8" },
  { c: "flags", type: "u8" },
  { c: "tag", type: "be16" },
]);

/** struct sr6_tlv_hmac: the HMAC TLV at the end of an SRH (only the key id is set by iproute2). */
const SR6_TLV_HMAC = cStruct("linux/seg6_hmac.h", "struct sr6_tlv_hmac", [
  { c: "tlvhdr.type", type: "u8", name: "type" },
  { c: "tlvhdr.len", type: "u8", name: "len" },
  { c: "reserved", type: "u16" },
  { c: "hmackeyid", type: "be32", name: "keyId" },
  { c: "hmac", type: "bytes", size: 32 },
]);

/** A segment routing header, decoded. */
export interface Srh {
  /** The segments in the order packets visit them (the SRH stores them last first). */
  segments: string[];
  /** HMAC key id, when the SRH carries an HMAC TLV. */
  hmac?: number;
}

/**
 * Reads an SRH: the segment list in travel order (segments[first_segment]
 * down to segments[0], as iproute2 prints them) and the HMAC key id.
 */
function decodeSrh(b: Uint8Array, v: DataView, off: number, len: number): Srh {
  if (len < IPV6_SR_HDR.size) throw new DecodeError(`SRH of ${len} bytes`, off);
  const h = IPV6_SR_HDR.decode(b, v, off, IPV6_SR_HDR.size) as { firstSegment: number; flags: number; hdrlen: number };
  const size = (h.hdrlen + 1) << 3;
  if (size > len || IPV6_SR_HDR.size + 16 * (h.firstSegment + 1) > size) {
    throw new DecodeError(`SRH of ${len} bytes claims ${size} bytes, ${h.firstSegment + 1} segments`, off);
  }
  const segments: string[] = [];
  for (let i = h.firstSegment; i >= 0; i--) segments.push(formatIPv6(b, off + IPV6_SR_HDR.size + 16 * i));
  const srh: Srh = { segments };
  if (h.flags & SR6.FLAG1_HMAC && size >= IPV6_SR_HDR.size + SR6_TLV_HMAC.size) {
    // iproute2 and the kernel keep the HMAC TLV as the SRH's last 40 bytes.
    const tlv = SR6_TLV_HMAC.decode(b, v, off + size - SR6_TLV_HMAC.size, SR6_TLV_HMAC.size);
    if (tlv.type === SR6.TLV_HMAC) srh.hmac = tlv.keyId as number;
  }
  return srh;
}

/**
 * Writes an SRH as iproute2 builds one: every segment slot filled from the
 * list in reverse (the last segment first), segments_left = first_segment =
 * count − 1, and the HMAC TLV (key id only) when `hmac` is given.
 */
function encodeSrh(w: MessageWriter, x: unknown, path: string): void {
  const srh = x as Partial<Srh> | null;
  if (srh === null || typeof srh !== "object" || !Array.isArray(srh.segments) || srh.segments.length === 0) {
    throw new ValidationError(`${path}.segments`, srh?.segments, "a non-empty list of IPv6 segments");
  }
  const n = srh.segments.length;
  const hmac = srh.hmac;
  if (hmac !== undefined && (!Number.isInteger(hmac) || hmac < 1 || hmac > 0xffffffff)) {
    throw new ValidationError(`${path}.hmac`, hmac, "an HMAC key id 1..4294967295");
  }
  const size = IPV6_SR_HDR.size + 16 * n + (hmac === undefined ? 0 : SR6_TLV_HMAC.size);
  if (n > 128 || size > 256 * 8) throw new ValidationError(`${path}.segments`, srh.segments, "too many segments");
  IPV6_SR_HDR.encode(w, {
    hdrlen: (size >> 3) - 1,
    type: IPV6_SRCRT.TYPE_4,
    segmentsLeft: n - 1,
    firstSegment: n - 1,
    flags: hmac === undefined ? 0 : SR6.FLAG1_HMAC,
  }, path);
  for (let i = n - 1; i >= 0; i--) {
    const seg = srh.segments[i];
    const at = w.zeros(16);
    if (typeof seg !== "string" || !parseIPv6Into(seg, w.buffer, at)) {
      throw new ValidationError(`${path}.segments[${i}]`, seg, "expected an IPv6 address");
    }
  }
  if (hmac !== undefined) {
    SR6_TLV_HMAC.encode(w, { type: SR6.TLV_HMAC, len: SR6_TLV_HMAC.size - 2, keyId: hmac }, path);
  }
}

/** SEG6_LOCAL_SRH: a bare SRH. */
const SRH_CODEC: CustomCodec = {
  decode: (b, v, off, len) => decodeSrh(b, v, off, len),
  encode: (w, x, path) => encodeSrh(w, x, path),
};

/** SEG6_IPTUNNEL_SRH: struct seg6_iptunnel_encap, an int mode then the SRH. */
const TUNNEL_ENCAP_CODEC: CustomCodec = {
  decode(b, v, off, len) {
    if (len < 4) throw new DecodeError(`seg6_iptunnel_encap of ${len} bytes`, off);
    return { mode: SEG6_MODE.name(v.getInt32(off, true)), ...decodeSrh(b, v, off + 4, len - 4) };
  },
  encode(w, x, path) {
    const mode = (x as { mode?: unknown } | null)?.mode;
    const at = w.zeros(4);
    w.view.setInt32(at, SEG6_MODE.value(mode as string | number, `${path}.mode`), true);
    encodeSrh(w, x, path);
  },
};

/** `encap seg6`: SEG6_IPTUNNEL_* (linux/seg6_iptunnel.h). */
export const SEG6_IPTUNNEL_ATTRS: AttrSchema = attrSchema("SEG6_IPTUNNEL_", "linux/seg6_iptunnel.h", {
  SRH: { id: 1, type: "custom", codec: TUNNEL_ENCAP_CODEC },
});

/** SEG6_LOCAL_BPF: the program of an End.BPF action. */
const SEG6_LOCAL_BPF_ATTRS = attrSchema("SEG6_LOCAL_BPF_", "linux/seg6_local.h", {
  PROG: { id: 1, type: "u32" },
  PROG_NAME: { id: 2, type: "string" },
});

/** SEG6_LOCAL_COUNTERS: packets, bytes and errors of the behavior. */
const SEG6_LOCAL_CNT_ATTRS = attrSchema("SEG6_LOCAL_CNT_", "linux/seg6_local.h", {
  PAD: { id: 1, type: "pad" },
  PACKETS: { id: 2, type: "u64" },
  BYTES: { id: 3, type: "u64" },
  ERRORS: { id: 4, type: "u64" },
});

/** SEG6_LOCAL_FLAVORS: the flavor operations and the NEXT-C-SID lengths. */
const SEG6_LOCAL_FLV_ATTRS = attrSchema("SEG6_LOCAL_FLV_", "linux/seg6_local.h", {
  OPERATION: { id: 1, type: "u32", flags: SEG6_LOCAL_FLAVORS, name: "operations" },
  LCBLOCK_BITS: { id: 2, type: "u8" },
  LCNODE_FN_BITS: { id: 3, type: "u8" },
});

/** `encap seg6local`: SEG6_LOCAL_* (linux/seg6_local.h). */
export const SEG6_LOCAL_ATTRS: AttrSchema = attrSchema("SEG6_LOCAL_", "linux/seg6_local.h", {
  ACTION: { id: 1, type: "u32", enum: SEG6_LOCAL_ACTION },
  SRH: { id: 2, type: "custom", codec: SRH_CODEC },
  TABLE: { id: 3, type: "u32" },
  NH4: { id: 4, type: "ipv4" },
  NH6: { id: 5, type: "ipv6" },
  IIF: { id: 6, type: "u32" },
  OIF: { id: 7, type: "u32" },
  BPF: { id: 8, type: "nested", schema: SEG6_LOCAL_BPF_ATTRS, nestedFlag: true },
  VRFTABLE: { id: 9, type: "u32" },
  COUNTERS: { id: 10, type: "nested", schema: SEG6_LOCAL_CNT_ATTRS, nestedFlag: true },
  FLAVORS: { id: 11, type: "nested", schema: SEG6_LOCAL_FLV_ATTRS, nestedFlag: true },
});
