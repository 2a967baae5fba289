/**
 * MPLS encapsulation as data: the MPLS_IPTUNNEL_* attributes a route's
 * `encap mpls` carries (a label stack and a TTL), and the label-stack codec.
 *
 * @module
 */
import { cTable } from "../core/ctable.ts";
import { DecodeError, ValidationError } from "../core/errors.ts";
import { type AttrSchema, attrSchema, type CustomCodec } from "../core/schema.ts";

/** Label stack entry layout (linux/mpls.h). */
const MPLS_LS = cTable("linux/mpls.h", "MPLS_LS_", {
  LABEL_MASK: 0xfffff000,
  LABEL_SHIFT: 12,
  S_MASK: 0x00000100,
});

/** The largest MPLS label (20 bits). */
export const MPLS_LABEL_MAX: number = MPLS_LS.LABEL_MASK >>> MPLS_LS.LABEL_SHIFT;

/**
 * Checks a label stack given as numbers (`[100, 200]`) or as iproute2 writes
 * it (`"100/200"`) and returns the numbers.
 *
 * @example
 * ```ts
 * import { mplsLabels } from "./mpls.ts";
 * mplsLabels("100/200", "encap.labels"); // [100, 200]
 * ```
 */
export function mplsLabels(x: unknown, path: string): number[] {
  const list = typeof x === "string" ? x.split("/").map((p) => (/^\d+$/.test(p) ? Number(p) : NaN)) : x;
  if (!Array.isArray(list) || list.length === 0) {
    throw new ValidationError(path, x, 'a non-empty list of MPLS labels, e.g. [100, 200] or "100/200"');
  }
  for (const n of list) {
    if (!Number.isInteger(n) || n < 0 || n > MPLS_LABEL_MAX) {
      throw new ValidationError(path, x, `MPLS labels are 0..${MPLS_LABEL_MAX}`);
    }
  }
  return list as number[];
}

/**
 * MPLS_IPTUNNEL_DST: label stack entries (big-endian, bottom-of-stack bit on
 * the last) as a list of label numbers. TC and TTL bits are zero on the way
 * out, as iproute2 sends them, and not reported on the way in.
 */
const LABEL_STACK: CustomCodec = {
  decode(_b, v, off, len) {
    if (len % 4 !== 0) throw new DecodeError(`MPLS label stack of ${len} bytes`, off);
    const labels: number[] = [];
    for (let o = off; o < off + len; o += 4) {
      const entry = v.getUint32(o, false);
      labels.push((entry & MPLS_LS.LABEL_MASK) >>> MPLS_LS.LABEL_SHIFT);
      if (entry & MPLS_LS.S_MASK) break;
    }
    return labels;
  },
  encode(w, x, path) {
    const labels = mplsLabels(x, path);
    labels.forEach((label, i) => {
      const at = w.zeros(4);
      const bos = i === labels.length - 1 ? MPLS_LS.S_MASK : 0;
      w.view.setUint32(at, ((label << MPLS_LS.LABEL_SHIFT) | bos) >>> 0, false);
    });
  },
};

/** `encap mpls`: MPLS_IPTUNNEL_* (linux/mpls_iptunnel.h). */
export const MPLS_IPTUNNEL_ATTRS: AttrSchema = attrSchema("MPLS_IPTUNNEL_", "linux/mpls_iptunnel.h", {
  DST: { id: 1, type: "custom", codec: LABEL_STACK, name: "labels" },
  TTL: { id: 2, type: "u8" },
});
