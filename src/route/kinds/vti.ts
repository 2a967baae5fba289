/**
 * vti and vti6 (IPsec virtual tunnel interfaces): IFLA_VTI_* as data, the
 * typed options of `ip link add NAME type vti|vti6 local A remote B key K …`,
 * and the decoded data.
 *
 * @module
 */
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import type { Dev, LinkCommonOptions } from "../link_types.ts";
import { hasAny, type KindCodec, type KindContext, type KindOptions, tunnelEndpoint, tunnelKey } from "./common.ts";
import { endpointsCurrent } from "./tunnel.ts";

const vtiAttrs = (addr: "ipv4" | "ipv6") =>
  attrSchema("IFLA_VTI_", "linux/if_tunnel.h", {
    LINK: { id: 1, type: "u32", name: "dev" },
    IKEY: { id: 2, type: "be32" },
    OKEY: { id: 3, type: "be32" },
    LOCAL: { id: 4, type: addr },
    REMOTE: { id: 5, type: addr },
    FWMARK: { id: 6, type: "u32" },
  });

/** IFLA_VTI_* of a vti (IPv4 endpoints). */
export const VTI_ATTRS: AttrSchema = vtiAttrs("ipv4");
/** IFLA_VTI_* of a vti6 (IPv6 endpoints). */
export const VTI6_ATTRS: AttrSchema = vtiAttrs("ipv6");

/** The settings of a vti or vti6. */
export interface VtiSettings {
  /** Local endpoint (`local`); `"any"` for none (what a change sets to clear it). */
  local?: string;
  /** Remote endpoint (`remote`); `"any"` for none. */
  remote?: string;
  /** Both keys (`key`): a u32 or dotted quad; it selects the IPsec policy by mark. `false`: none. */
  key?: number | string | false;
  /** Inbound key (`ikey`); `false`: none. */
  ikey?: number | string | false;
  /** Outbound key (`okey`); `false`: none. */
  okey?: number | string | false;
  /** The device the tunnel's packets leave by (`dev`). */
  dev?: Dev;
  /** Firewall mark of the outer packets (`fwmark`). */
  fwmark?: number;
}

/**
 * An IPv4 IPsec virtual tunnel interface.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "vti", name: "vti1", local: "192.0.2.1", remote: "192.0.2.2", key: 7 });
 * ```
 */
export interface VtiOptions extends LinkCommonOptions, VtiSettings {
  /** The kind. */
  kind: "vti";
}

/** An IPv6 IPsec virtual tunnel interface. */
export interface Vti6Options extends LinkCommonOptions, VtiSettings {
  /** The kind. */
  kind: "vti6";
}

/** A vti's or vti6's decoded data. */
export interface VtiData {
  /** Underlying device ifindex. */
  dev?: number;
  /** Inbound key. */
  ikey?: number;
  /** Outbound key. */
  okey?: number;
  /** Local endpoint. */
  local?: string;
  /** Remote endpoint. */
  remote?: string;
  /** Firewall mark. */
  fwmark?: number;
}

const OPTIONS = ["local", "remote", "key", "ikey", "okey", "dev", "fwmark"];

/** IFLA_VTI_* as iproute2 writes them: both keys, the endpoints, the mark, then the device. */
function encoder(version: 4 | 6) {
  return (o: KindOptions, ctx: KindContext): Record<string, unknown> | undefined => {
    if (!hasAny(o, OPTIONS)) return undefined;
    const key = tunnelKey(o.key, "key");
    const out: Record<string, unknown> = {
      ikey: o.ikey === false ? 0 : tunnelKey(o.ikey, "ikey") ?? key ?? 0,
      okey: o.okey === false ? 0 : tunnelKey(o.okey, "okey") ?? key ?? 0,
    };
    tunnelEndpoint(o, "local", version, out);
    tunnelEndpoint(o, "remote", version, out);
    out.fwmark = o.fwmark ?? 0;
    if (o.dev !== undefined) out.dev = ctx.dev("dev", o.dev as Dev);
    return out;
  };
}

/** A vti's current settings as options (iproute2's link_vti.c reads the same before a change). */
function current(d: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { ikey: d.ikey ?? 0, okey: d.okey ?? 0, ...endpointsCurrent(d), fwmark: d.fwmark ?? 0 };
}

/** What the changes of a vti are laid over. */
const CHANGE = { current, covers: { key: ["ikey", "okey"] } } as const;

/** vti's codec; a change starts from the current settings (the kernel resets those left out). */
export const VTI: KindCodec = { schema: VTI_ATTRS, encode: encoder(4), devOptions: ["dev"], ...CHANGE };
/** vti6's codec; a change starts from the current settings. */
export const VTI6: KindCodec = { schema: VTI6_ATTRS, encode: encoder(6), devOptions: ["dev"], ...CHANGE };
