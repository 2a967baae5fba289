/**
 * Lightweight-tunnel encapsulation of routes and nexthops, typed: the options
 * a request takes (`encap: { type: "mpls", labels: [100] }`), what a decoded
 * route holds (`route.encap`), and the glue between those and the attribute
 * layouts in mpls.ts and srv6.ts (which the engine encodes and decodes).
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { AttrSchema, decodeAttrs, type RawAttribute } from "../core/schema.ts";
import { type Dev, resolveDev } from "./link_lookup.ts";
import { ENCAP_VARIANTS, LWTUNNEL_ENCAP, tableId } from "./route_attrs.ts";
import type { Table } from "./route.ts";
import type { Srh } from "./srv6.ts";

/** `encap seg6` modes. */
export type Seg6Mode = "encap" | "inline" | "l2encap" | "encap.red" | "l2encap.red";

/** seg6local actions, as iproute2 names them. */
export type Seg6LocalAction =
  | "End"
  | "End.X"
  | "End.T"
  | "End.DX2"
  | "End.DX6"
  | "End.DX4"
  | "End.DT6"
  | "End.DT4"
  | "End.B6"
  | "End.B6.Encaps"
  | "End.BM"
  | "End.S"
  | "End.AS"
  | "End.AM"
  | "End.BPF"
  | "End.DT46";

/** seg6local flavor operations. */
export type Seg6LocalFlavor = "psp" | "usp" | "usd" | "next-csid";

/** `encap mpls LABELS [ttl TTL]`: push a label stack. */
export interface MplsEncapOptions {
  /** Discriminant. */
  type: "mpls";
  /** Labels to push, outermost first: `[100, 200]`. */
  labels: number[];
  /** TTL of the pushed labels (default: propagated from the IP header, per sysctl). */
  ttl?: number;
}

/** `encap seg6 mode MODE segs SEGMENTS [hmac KEYID]`: SRv6 encapsulation or insertion. */
export interface Seg6EncapOptions {
  /** Discriminant. */
  type: "seg6";
  /** `encap` (outer IPv6 header + SRH), `inline` (SRH inserted), `l2encap`, and the reduced `.red` forms. */
  mode: Seg6Mode;
  /** Segments in the order packets visit them. */
  segments: string[];
  /** HMAC key id (adds an HMAC TLV to the SRH). */
  hmac?: number;
}

/** `encap seg6local action ACTION …`: an SRv6 behavior bound to the route's SID. */
export interface Seg6LocalEncapOptions {
  /** Discriminant. */
  type: "seg6local";
  /** The behavior. */
  action: Seg6LocalAction;
  /** Lookup table (End.T, End.DT6 in legacy mode). */
  table?: Table;
  /** VRF table (End.DT4, End.DT6, End.DT46 in VRF mode). */
  vrftable?: Table;
  /** IPv4 next hop (End.DX4). */
  nh4?: string;
  /** IPv6 next hop (End.X, End.DX6). */
  nh6?: string;
  /** Input device. */
  iif?: Dev;
  /** Output device (End.DX2). */
  oif?: Dev;
  /** The SRH to insert (End.B6) or encapsulate with (End.B6.Encaps). */
  srh?: { segments: string[]; hmac?: number };
  /** Count packets, bytes and errors of the behavior (`count`). */
  counters?: boolean;
  /** Flavors (`flavors next-csid lblen 32 nflen 16`). */
  flavors?: {
    /** The flavor operations. */
    operations: Seg6LocalFlavor[];
    /** NEXT-C-SID locator-block length in bits (`lblen`). */
    lcblockBits?: number;
    /** NEXT-C-SID locator-node function length in bits (`nflen`). */
    lcnodeFnBits?: number;
  };
}

/** Encapsulation to set on a route, a multipath next hop or a nexthop object. */
export type EncapOptions = MplsEncapOptions | Seg6EncapOptions | Seg6LocalEncapOptions;

/** Decoded `encap mpls`. */
export interface MplsEncap {
  /** Discriminant. */
  type: "mpls";
  /** Pushed labels, outermost first. */
  labels: number[];
  /** TTL of the pushed labels, when set. */
  ttl?: number;
  /** Attributes nlink does not know. */
  unknownAttrs?: RawAttribute[];
}

/** Decoded `encap seg6`. */
export interface Seg6Encap {
  /** Discriminant. */
  type: "seg6";
  /** The mode (a number if this nlink does not know it). */
  mode: Seg6Mode | number;
  /** Segments in the order packets visit them (inline mode's slot for the original destination is not listed). */
  segments: string[];
  /** HMAC key id, when the SRH carries an HMAC TLV. */
  hmac?: number;
  /** Attributes nlink does not know. */
  unknownAttrs?: RawAttribute[];
}

/** Decoded `encap seg6local`. */
export interface Seg6LocalEncap {
  /** Discriminant. */
  type: "seg6local";
  /** The behavior (a number if this nlink does not know it). */
  action: Seg6LocalAction | "unspec" | number;
  /** Lookup table. */
  table?: number;
  /** VRF table. */
  vrftable?: number;
  /** IPv4 next hop. */
  nh4?: string;
  /** IPv6 next hop. */
  nh6?: string;
  /** Input interface index. */
  iif?: number;
  /** Output interface index. */
  oif?: number;
  /** The SRH of End.B6 / End.B6.Encaps (End.B6's slot for the original destination is not listed). */
  srh?: Srh;
  /** Counters (when enabled). */
  counters?: { packets: bigint; bytes: bigint; errors: bigint };
  /** Flavors. */
  flavors?: { operations: string[]; lcblockBits?: number; lcnodeFnBits?: number };
  /** The BPF program of End.BPF: its id and name. */
  bpf?: { prog?: number; progName?: string };
  /** Attributes nlink does not know. */
  unknownAttrs?: RawAttribute[];
}

/** An encapsulation nlink keeps raw (ip, ip6, ila, bpf, rpl, ioam6, xfrm, or unknown). */
export interface RawEncap {
  /** The encapsulation type (a number if this nlink does not know it). */
  type: "none" | "ip" | "ila" | "ip6" | "bpf" | "rpl" | "ioam6" | "xfrm" | number;
  /** The RTA_ENCAP / NHA_ENCAP payload. */
  data: Uint8Array;
}

/** A decoded encapsulation: `route.encap`, `nexthop.encap`, `route.multipath[i].encap`. */
export type RouteEncap = MplsEncap | Seg6Encap | Seg6LocalEncap | RawEncap;

/** Interface indexes an encapsulation names (seg6local `iif` / `oif`), resolved. */
export interface EncapDevs {
  /** seg6local iif. */
  iif?: number;
  /** seg6local oif. */
  oif?: number;
}

/** The placeholder slot an inserted SRH keeps for the packet's original destination. */
const PLACEHOLDER = "::";

/** Whether an SRH of this seg6local action is inserted (and so carries the placeholder slot). */
const insertsSrh = (action: unknown) => action !== "End.B6.Encaps";

function checkObject(x: unknown, path: string): Record<string, unknown> {
  if (x === null || typeof x !== "object" || Array.isArray(x)) {
    throw new ValidationError(path, x, 'expected an encapsulation like { type: "mpls", labels: [100] }');
  }
  return x as Record<string, unknown>;
}

function segments(x: unknown, path: string): string[] {
  if (!Array.isArray(x) || x.length === 0) throw new ValidationError(path, x, "a non-empty list of IPv6 segments");
  return x;
}

/**
 * The attribute object the engine encodes as RTA_ENCAP (or NHA_ENCAP) for
 * `e`, in iproute2's attribute order. Device fields take `devs` (resolved
 * indexes) when given as names; left out until resolved.
 *
 * @example
 * ```ts
 * import { encapAttrs } from "./lwtunnel.ts";
 * encapAttrs({ type: "mpls", labels: [100], ttl: 5 }, "encap"); // { labels: [100], ttl: 5 }
 * ```
 */
export function encapAttrs(e: EncapOptions, path: string, devs: EncapDevs = {}): Record<string, unknown> {
  const o = checkObject(e, path);
  switch (o.type) {
    case "mpls":
      return { labels: o.labels, ttl: o.ttl };
    case "seg6": {
      const segs = segments(o.segments, `${path}.segments`);
      return {
        srh: { mode: o.mode, segments: o.mode === "inline" ? [...segs, PLACEHOLDER] : segs, hmac: o.hmac },
      };
    }
    case "seg6local": {
      const l = e as Seg6LocalEncapOptions;
      const dev = (x: Dev | undefined, resolved: number | undefined) => (typeof x === "number" ? x : resolved);
      const srh = l.srh === undefined ? undefined : checkObject(l.srh, `${path}.srh`);
      const flv = l.flavors === undefined ? undefined : checkObject(l.flavors, `${path}.flavors`);
      if (l.counters !== undefined && typeof l.counters !== "boolean") {
        throw new ValidationError(`${path}.counters`, l.counters, "true or false");
      }
      return {
        action: l.action,
        table: l.table === undefined ? undefined : tableId(l.table, `${path}.table`),
        vrftable: l.vrftable === undefined ? undefined : tableId(l.vrftable, `${path}.vrftable`),
        nh4: l.nh4,
        nh6: l.nh6,
        iif: dev(l.iif, devs.iif),
        oif: dev(l.oif, devs.oif),
        counters: l.counters ? { packets: 0n, bytes: 0n, errors: 0n } : undefined,
        // In iproute2's order, whatever the order of the caller's keys.
        flavors: flv && { operations: flv.operations, lcblockBits: flv.lcblockBits, lcnodeFnBits: flv.lcnodeFnBits },
        srh: srh === undefined ? undefined : {
          segments: insertsSrh(l.action)
            ? [...segments(srh.segments, `${path}.srh.segments`), PLACEHOLDER]
            : segments(srh.segments, `${path}.srh.segments`),
          hmac: srh.hmac,
        },
      };
    }
    default:
      throw new ValidationError(`${path}.type`, o.type, "mpls, seg6 or seg6local");
  }
}

/**
 * Resolves the devices an encapsulation names (seg6local iif/oif).
 *
 * @example
 * ```ts ignore
 * const devs = await resolveEncapDevs(conn, { type: "seg6local", action: "End.DX2", oif: "p1" }, "encap");
 * ```
 */
export async function resolveEncapDevs(
  conn: NetlinkConnection,
  e: EncapOptions | undefined,
  path: string,
): Promise<EncapDevs | undefined> {
  if (e === undefined || e.type !== "seg6local") return undefined;
  return {
    iif: e.iif === undefined ? undefined : await resolveDev(conn, e.iif, `${path}.iif`),
    oif: e.oif === undefined ? undefined : await resolveDev(conn, e.oif, `${path}.oif`),
  };
}

function dropPlaceholder(segs: string[]): string[] {
  return segs.length > 1 && segs[segs.length - 1] === PLACEHOLDER ? segs.slice(0, -1) : segs;
}

/**
 * The typed encapsulation of a decoded route or nexthop: `value` is what the
 * engine made of the ENCAP attribute (raw bytes when ENCAP came before
 * ENCAP_TYPE, as the kernel sends them; attributes otherwise).
 *
 * @example
 * ```ts
 * import { typedEncap } from "./lwtunnel.ts";
 * typedEncap("mpls", new Uint8Array([12, 0, 1, 0, 0, 6, 65, 0])); // { type: "mpls", labels: [100] }
 * ```
 */
export function typedEncap(type: unknown, value: unknown): RouteEncap {
  const name = typeof type === "number" ? LWTUNNEL_ENCAP.name(type) : type;
  const variant = typeof name === "string" ? ENCAP_VARIANTS[name] : undefined;
  let attrs = value as Record<string, unknown>;
  if (value instanceof Uint8Array) {
    if (!(variant instanceof AttrSchema)) return { type: name as RawEncap["type"], data: value };
    attrs = decodeAttrs(
      variant,
      value,
      new DataView(value.buffer, value.byteOffset, value.byteLength),
      0,
      value.length,
    );
  }
  switch (name) {
    case "seg6": {
      const { srh, ...rest } = attrs as { srh?: { mode: Seg6Mode | number; segments: string[]; hmac?: number } };
      const out: Seg6Encap = { type: "seg6", mode: srh?.mode ?? 0, segments: srh?.segments ?? [], ...rest };
      if (srh?.hmac !== undefined) out.hmac = srh.hmac;
      if (out.mode === "inline") out.segments = dropPlaceholder(out.segments);
      return out;
    }
    case "seg6local": {
      const out = { type: "seg6local", ...attrs } as Seg6LocalEncap;
      if (out.srh && insertsSrh(out.action)) out.srh.segments = dropPlaceholder(out.srh.segments);
      return out;
    }
    default:
      return { type: name, ...attrs } as RouteEncap;
  }
}

/**
 * Replaces `x.encap` (as the engine decoded it) with the typed encapsulation,
 * in a decoded route, multipath next hop or nexthop object.
 *
 * @example
 * ```ts ignore
 * finishEncap(route); // route.encap: { type: "mpls", labels: [100] }
 * ```
 */
export function finishEncap(x: { encap?: unknown; encapType?: unknown }): void {
  if (x.encap !== undefined) x.encap = typedEncap(x.encapType, x.encap);
}
