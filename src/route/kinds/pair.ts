/**
 * Device pairs: veth and netkit. Each end's peer is a whole link message
 * (ifinfomsg + IFLA_*) nested in the first end's data (VETH_INFO_PEER,
 * IFLA_NETKIT_PEER_INFO).
 *
 * @module
 */
import { EnumTable } from "../../core/enums.ts";
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { IFINFOMSG } from "../link_header.ts";
import { LINK_ATTRS } from "../link_attrs.ts";
import type { Link, LinkCommonOptions } from "../link_types.ts";
import { BOOL, intIn, type KindCodec, type KindContext, type KindOptions, oneOf } from "./common.ts";
import { commonAttrs, linkFlags } from "./link_common.ts";

/** veth: the peer is a link message (a function: link_attrs.ts and this module refer to each other). */
export const VETH_ATTRS: AttrSchema = attrSchema("VETH_INFO_", "linux/veth.h", {
  PEER: { id: 1, type: "message", struct: IFINFOMSG, schema: () => LINK_ATTRS },
});

// netkit (Linux 6.7+) is newer than the audited headers: its values come from
// the kernel's rt-link spec, and its tables are not registered for the audit.
/** What a netkit end does with packets no BPF program decided on (`forward`, `blackhole`). */
export const NETKIT_POLICY: EnumTable = new EnumTable("netkit policy", { FORWARD: 0, BLACKHOLE: 2 }, "lower");
/** netkit's mode (`l2`, `l3`). */
export const NETKIT_MODE: EnumTable = new EnumTable("netkit mode", { L2: 0, L3: 1 }, "lower");
/** Whether netkit scrubs packet metadata (`none`, `default`). */
export const NETKIT_SCRUB: EnumTable = new EnumTable("netkit scrub", { NONE: 0, DEFAULT: 1 }, "lower");

/** IFLA_NETKIT_*: a netkit end's data (numbers from the kernel's rt-link spec). */
export const NETKIT_ATTRS: AttrSchema = attrSchema("IFLA_NETKIT_", "linux/if_link.h", {
  PEER_INFO: { id: 1, type: "message", struct: IFINFOMSG, schema: () => LINK_ATTRS, since: "6.7" },
  PRIMARY: { id: 2, type: "custom", codec: BOOL, since: "6.7" },
  POLICY: { id: 3, type: "u32", enum: NETKIT_POLICY, since: "6.7" },
  PEER_POLICY: { id: 4, type: "u32", enum: NETKIT_POLICY, since: "6.7" },
  MODE: { id: 5, type: "u32", enum: NETKIT_MODE, since: "6.7" },
  SCRUB: { id: 6, type: "u32", enum: NETKIT_SCRUB, since: "6.10" },
  PEER_SCRUB: { id: 7, type: "u32", enum: NETKIT_SCRUB, since: "6.10" },
  HEADROOM: { id: 8, type: "u16", since: "6.14" },
  TAILROOM: { id: 9, type: "u16", since: "6.14" },
});

/**
 * The other end of a pair: its name (left out, the kernel picks one) and the common settings, as the words after
 * `peer` in `ip link add … type veth peer …`: its own master, flags (`up`, `noarp`, …), alias, group, index.
 * All are sent as iproute2 sends them; the kernel (6.18 here) ignores a veth peer's master and alias, and
 * refuses its `up` (ENOTCONN).
 */
export type PeerOptions = Omit<LinkCommonOptions, "link" | "name"> & { name?: string };

/**
 * A veth pair: this end and its peer.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "veth", name: "v0", peer: { name: "v1", netns: "blue" } });
 * ```
 */
export interface VethOptions extends LinkCommonOptions {
  /** The kind. */
  kind: "veth";
  /** The peer end (`peer name NAME …`); left out, the kernel makes one and names it. */
  peer?: PeerOptions;
}

/** The netkit settings (`ip link add … type netkit …`, iproute2 6.7+). */
export interface NetkitSettings {
  /** `"l3"` (the kernel's default) or `"l2"` (`mode`). */
  mode?: "l2" | "l3";
  /** Default action of this (primary) end: `"forward"` or `"blackhole"`. */
  policy?: "forward" | "blackhole";
  /** Default action of the peer end. */
  peerPolicy?: "forward" | "blackhole";
  /** Scrub packet metadata on this end (`scrub`, Linux 6.10+). */
  scrub?: "none" | "default";
  /** Scrub packet metadata on the peer (`peer scrub`, Linux 6.10+). */
  peerScrub?: "none" | "default";
  /** Needed headroom (Linux 6.14+). */
  headroom?: number;
  /** Needed tailroom (Linux 6.14+). */
  tailroom?: number;
}

/**
 * A netkit pair (BPF-programmable veth replacement, Linux 6.7+; not in iproute2 6.1).
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "netkit", name: "nk0", mode: "l3", peer: { name: "nk1" } });
 * ```
 */
export interface NetkitOptions extends LinkCommonOptions, NetkitSettings {
  /** The kind. */
  kind: "netkit";
  /** The peer end. */
  peer?: PeerOptions;
}

/** A pair's peer as requests carry it: the ifinfomsg fields under `header`, the peer's IFLA_* beside them. */
export type PeerMessage = Partial<Omit<Link, "family" | "type" | "index" | "flags" | "change">> & {
  /** The peer's ifinfomsg. */
  header?: { family?: string | number; type?: string | number; index?: number; flags?: string[]; change?: number };
};

/** A veth end's decoded data (the kernel reports none; requests carry the peer). */
export interface VethData {
  /** The peer (requests only). */
  peer?: PeerMessage;
}

/** A netkit end's decoded data. */
export interface NetkitData {
  /** The peer (requests only). */
  peerInfo?: PeerMessage;
  /** Whether this is the primary end. */
  primary?: boolean;
  /** This end's default action. */
  policy?: string | number;
  /** The peer's default action. */
  peerPolicy?: string | number;
  /** `"l2"` or `"l3"`. */
  mode?: string | number;
  /** This end's scrubbing. */
  scrub?: string | number;
  /** The peer's scrubbing. */
  peerScrub?: string | number;
  /** Needed headroom. */
  headroom?: number;
  /** Needed tailroom. */
  tailroom?: number;
}

/** The peer's link message: its ifinfomsg (flags, change, index) and its common attributes. */
function peer(o: KindOptions, ctx: KindContext): Record<string, unknown> | undefined {
  const p = o.peer as PeerOptions | undefined;
  if (p === undefined) return undefined;
  if (p === null || typeof p !== "object") throw new ValidationError("peer", p, "expected { name, … }");
  const header: Record<string, unknown> = linkFlags(p, "peer");
  if (p.index !== undefined) header.index = intIn(p.index, 1, 0x7fffffff, "peer.index");
  const master = p.master === undefined ? undefined : ctx.dev("peer.master", p.master);
  return { header, ...commonAttrs(p, { master }, "peer") };
}

/** veth: VETH_INFO_PEER, or no data at all when the kernel is to make the peer. */
export const VETH: KindCodec = {
  schema: VETH_ATTRS,
  encode: (o, ctx) => {
    const info = peer(o, ctx);
    return info ? { peer: info } : undefined;
  },
  devOptions: ["peer.master"],
};

/** netkit: IFLA_NETKIT_* in the spec's attribute order. */
export const NETKIT: KindCodec = {
  schema: NETKIT_ATTRS,
  changeable: true,
  devOptions: ["peer.master"],
  encode(o, ctx) {
    const out: Record<string, unknown> = {};
    if (!ctx.change) {
      const info = peer(o, ctx);
      if (info) out.peerInfo = info;
    } else if (o.peer !== undefined) throw new ValidationError("peer", o.peer, "a netkit's peer is set at creation");
    const set = (name: string, choices: string[]) => {
      const v = oneOf(o[name], choices, name);
      if (v !== undefined) out[name] = v;
    };
    set("policy", ["forward", "blackhole"]);
    set("peerPolicy", ["forward", "blackhole"]);
    set("mode", ["l2", "l3"]);
    set("scrub", ["none", "default"]);
    set("peerScrub", ["none", "default"]);
    if (o.headroom !== undefined) out.headroom = o.headroom;
    if (o.tailroom !== undefined) out.tailroom = o.tailroom;
    return Object.keys(out).length ? out : undefined;
  },
};
