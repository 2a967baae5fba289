/**
 * Flower's tunnel-option keys (`geneve_opts`, `vxlan_opts`, `erspan_opts`,
 * `gtp_opts`): their typed forms and tc(8)'s text, turned into the
 * TCA_FLOWER_KEY_ENC_OPTS value and mask iproute2 sends (a mask left out
 * matches every bit, as tc(8) fills it in).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type Base, hexBytes, uint } from "./flower_values.ts";

/** One geneve option (`CLASS:TYPE:DATA` in tc(8)'s text, hexadecimal). */
export interface GeneveOpt {
  /** Option class (16 bits). */
  class: number;
  /** Option type (8 bits). */
  type: number;
  /** Option data: 4 to 124 bytes, a multiple of 4 (hexadecimal text or bytes). */
  data: string | Uint8Array;
  /** The bits that count (default: all); only the fields given are sent. */
  mask?: { class?: number; type?: number; data?: string | Uint8Array };
}

/** Erspan fields (`VER:INDEX:DIR:HWID` in tc(8)'s text). */
export interface ErspanOpt {
  /** Erspan version (1 or 2). */
  ver: number;
  /** Session index (version 1). */
  index?: number;
  /** Direction (version 2: 0 ingress, 1 egress). */
  dir?: number;
  /** Hardware id (version 2, 6 bits). */
  hwid?: number;
  /** The bits that count (default: `ver`, and every bit of the others); only the fields given are sent. */
  mask?: { ver?: number; index?: number; dir?: number; hwid?: number };
}

/** GTP fields (`PDU_TYPE:QFI` in tc(8)'s text, hexadecimal). */
export interface GtpOpt {
  /** PDU type. */
  pduType?: number;
  /** QoS flow identifier (6 bits). */
  qfi?: number;
  /** The bits that count (default: all); only the fields given are sent. */
  mask?: { pduType?: number; qfi?: number };
}

/** The vxlan group policy id (`GBP[/MASK]` in tc(8)'s text). */
export interface VxlanOpt {
  /** Group policy id. */
  gbp: number;
  /** The bits that count (default: all). */
  mask?: number;
}

/** The tunnel-option keys flower takes (at most one of them per filter). */
export interface EncOptsOptions {
  /** Geneve options (`geneve_opts`): a list, or tc(8)'s text `"0102:80:00880022[/ffff:ff:ffffffff],…"`. */
  geneveOpts?: GeneveOpt[] | string;
  /** The vxlan group policy id (`vxlan_opts`): a number, `{ gbp, mask }`, or text `"GBP[/MASK]"`. */
  vxlanOpts?: number | VxlanOpt | string;
  /** Erspan fields (`erspan_opts`): an object, or text `"VER:INDEX:DIR:HWID[/MASK]"`. */
  erspanOpts?: ErspanOpt | string;
  /** GTP fields (`gtp_opts`): an object, or text `"PDU_TYPE:QFI[/MASK]"` (hexadecimal). */
  gtpOpts?: GtpOpt | string;
}

/** The option names of {@linkcode EncOptsOptions}. */
export const ENC_OPTS_KEYS: readonly string[] = ["geneveOpts", "vxlanOpts", "erspanOpts", "gtpOpts"];

type Attrs = Record<string, unknown>;

/** One field of a `A:B:C` option text: empty is left out, as tc(8) leaves it out. */
function part(text: string | undefined, max: number, base: Base, field: string): number | undefined {
  if (text === undefined || text === "") return undefined;
  return uint(text, max, base, field);
}

function put(out: Attrs, name: string, value: unknown): void {
  if (value !== undefined) out[name] = value;
}

/** Geneve option data: 4 to 124 bytes, a multiple of 4 (the kernel's limit). */
function geneveData(x: unknown, field: string): Uint8Array {
  const data = hexBytes(x, 4, 124, field);
  if (data.length % 4) throw new ValidationError(field, x, "geneve option data is a multiple of 4 bytes");
  return data;
}

function geneveText(text: string, field: string, isMask: boolean, dataLength?: number): Attrs {
  const parts = text.split(":");
  // tc(8) needs all three fields of an option; a mask may leave fields out.
  if (isMask ? parts.length > 3 : parts.length !== 3 || parts.some((p) => p === "")) {
    throw new ValidationError(field, text, "expected CLASS:TYPE:DATA in hexadecimal");
  }
  const out: Attrs = {};
  put(out, "class", part(parts[0], 0xffff, 16, field));
  put(out, "type", part(parts[1], 0xff, 16, field));
  if (parts[2] !== undefined && parts[2] !== "") {
    const data = isMask ? hexBytes(parts[2], 1, 124, field) : geneveData(parts[2], field);
    if (isMask && data.length !== dataLength) {
      throw new ValidationError(field, text, "a geneve data mask is as long as the data");
    }
    out.data = data;
  }
  return out;
}

function geneve(x: unknown, field: string): { key: Attrs; mask: Attrs } {
  const keys: Attrs[] = [];
  const masks: Attrs[] = [];
  if (typeof x === "string") {
    for (const [i, item] of x.split(",").entries()) {
      const [k, m] = item.split("/", 2);
      const key = geneveText(k, `${field}[${i}]`, false);
      const length = (key.data as Uint8Array).length;
      keys.push(key);
      masks.push(
        m === undefined
          ? { class: 0xffff, type: 0xff, data: new Uint8Array(length).fill(0xff) }
          : geneveText(m, `${field}[${i}].mask`, true, length),
      );
    }
  } else if (Array.isArray(x) && x.length > 0) {
    x.forEach((o: GeneveOpt, i) => {
      const f = `${field}[${i}]`;
      if (o === null || typeof o !== "object") throw new ValidationError(f, o, "expected { class, type, data }");
      const data = geneveData(o.data, `${f}.data`);
      keys.push({ class: uint(o.class, 0xffff, 16, `${f}.class`), type: uint(o.type, 0xff, 16, `${f}.type`), data });
      if (o.mask === undefined) {
        masks.push({ class: 0xffff, type: 0xff, data: new Uint8Array(data.length).fill(0xff) });
        return;
      }
      const m: Attrs = {};
      if (o.mask.class !== undefined) m.class = uint(o.mask.class, 0xffff, 16, `${f}.mask.class`);
      if (o.mask.type !== undefined) m.type = uint(o.mask.type, 0xff, 16, `${f}.mask.type`);
      if (o.mask.data !== undefined) {
        m.data = hexBytes(o.mask.data, data.length, data.length, `${f}.mask.data`);
      }
      masks.push(m);
    });
  } else throw new ValidationError(field, x, "expected a list of geneve options or tc(8)'s text");
  return { key: { geneve: keys }, mask: { geneve: masks } };
}

function vxlan(x: unknown, field: string): { key: Attrs; mask: Attrs } {
  let gbp: number, mask = 0xffffffff;
  if (typeof x === "string") {
    const [g, m] = x.split("/", 2);
    gbp = uint(g, 0xffffffff, 0, field);
    if (m !== undefined) mask = uint(m, 0xffffffff, 0, `${field}.mask`);
  } else if (x !== null && typeof x === "object") {
    const o = x as VxlanOpt;
    gbp = uint(o.gbp, 0xffffffff, 0, `${field}.gbp`);
    if (o.mask !== undefined) mask = uint(o.mask, 0xffffffff, 0, `${field}.mask`);
  } else gbp = uint(x, 0xffffffff, 0, field);
  return { key: { vxlan: { gbp } }, mask: { vxlan: { gbp: mask } } };
}

const ERSPAN_MAX = [0xff, 0xffffffff, 0xff, 0xff] as const;
const ERSPAN_NAMES = ["ver", "index", "dir", "hwid"] as const;

function erspanFields(values: readonly (number | undefined)[]): Attrs {
  const out: Attrs = {};
  values.forEach((v, i) => put(out, ERSPAN_NAMES[i], v));
  return out;
}

function erspan(x: unknown, field: string): { key: Attrs; mask: Attrs } {
  let key: (number | undefined)[];
  let mask: (number | undefined)[] | undefined;
  const fromText = (text: string, f: string) => {
    const parts = text.split(":");
    if (parts.length > 4) throw new ValidationError(f, text, "expected VER:INDEX:DIR:HWID");
    return ERSPAN_MAX.map((max, i) => part(parts[i], max, 0, f));
  };
  if (typeof x === "string") {
    const [k, m] = x.split("/", 2);
    key = fromText(k, field);
    if (m !== undefined) mask = fromText(m, `${field}.mask`);
  } else if (x !== null && typeof x === "object") {
    const o = x as ErspanOpt;
    key = ERSPAN_NAMES.map((n, i) => (o[n] === undefined ? undefined : uint(o[n], ERSPAN_MAX[i], 0, `${field}.${n}`)));
    if (o.mask !== undefined) {
      const m = o.mask;
      mask = ERSPAN_NAMES.map((n, i) =>
        m[n] === undefined ? undefined : uint(m[n], ERSPAN_MAX[i], 0, `${field}.mask.${n}`)
      );
    }
  } else throw new ValidationError(field, x, "expected erspan fields or tc(8)'s text");
  if (key[0] === undefined) throw new ValidationError(`${field}.ver`, undefined, "erspan options need a version");
  // tc(8) copies the version into the default mask.
  mask ??= [key[0], 0xffffffff, 0xff, 0xff];
  return { key: { erspan: erspanFields(key) }, mask: { erspan: erspanFields(mask) } };
}

function gtp(x: unknown, field: string): { key: Attrs; mask: Attrs } {
  const fields = (o: { pduType?: unknown; qfi?: unknown }, f: string): Attrs => {
    const out: Attrs = {};
    if (o.pduType !== undefined) out.pduType = uint(o.pduType, 0xff, 16, `${f}.pduType`);
    if (o.qfi !== undefined) out.qfi = uint(o.qfi, 0xff, 16, `${f}.qfi`);
    return out;
  };
  const fromText = (text: string, f: string) => {
    const parts = text.split(":");
    if (parts.length !== 2) throw new ValidationError(f, text, "expected PDU_TYPE:QFI in hexadecimal");
    const out: Attrs = {};
    put(out, "pduType", part(parts[0], 0xff, 16, f));
    put(out, "qfi", part(parts[1], 0xff, 16, f));
    return out;
  };
  if (typeof x === "string") {
    const [k, m] = x.split("/", 2);
    return { key: { gtp: fromText(k, field) }, mask: { gtp: fromText(m ?? "ff:ff", `${field}.mask`) } };
  }
  if (x === null || typeof x !== "object") throw new ValidationError(field, x, "expected gtp fields or tc(8)'s text");
  const o = x as GtpOpt;
  const mask = o.mask === undefined ? { pduType: 0xff, qfi: 0xff } : fields(o.mask, `${field}.mask`);
  return { key: { gtp: fields(o, field) }, mask: { gtp: mask } };
}

/**
 * The TCA_FLOWER_KEY_ENC_OPTS and _MASK values of whichever tunnel-option
 * key is given (undefined when none is); two kinds at once are refused.
 *
 * @example
 * ```ts
 * import { encOpts } from "./flower_enc.ts";
 * encOpts({ vxlanOpts: 0x800 }); // { key: { vxlan: { gbp: 2048 } }, mask: { vxlan: { gbp: 4294967295 } } }
 * ```
 */
export function encOpts(o: Readonly<Record<string, unknown>>): { key: Attrs; mask: Attrs } | undefined {
  const given = ENC_OPTS_KEYS.filter((k) => o[k] !== undefined);
  if (given.length > 1) {
    throw new ValidationError(given[1], o[given[1]], `one kind of tunnel options per filter (${given[0]} is given)`);
  }
  switch (given[0]) {
    case "geneveOpts":
      return geneve(o.geneveOpts, "geneveOpts");
    case "vxlanOpts":
      return vxlan(o.vxlanOpts, "vxlanOpts");
    case "erspanOpts":
      return erspan(o.erspanOpts, "erspanOpts");
    case "gtpOpts":
      return gtp(o.gtpOpts, "gtpOpts");
  }
  return undefined;
}
