/**
 * `ip netconf` output: one line (or JSON object) per device and family, as
 * iproute2's print_netconf writes it.
 *
 * @module
 */
import type { Netconf } from "@nlink/nlink";
import { Color } from "../common/color.ts";
import { Kind, type Printer } from "../common/output.ts";
import type { LinkCache } from "./links.ts";

/** rp_filter's values by name; others print as numbers. */
const RP_FILTER = ["off", "strict", "loose"];

/** NETCONFA_IFINDEX_ALL and NETCONFA_IFINDEX_DEFAULT. */
const IFINDEX_ALL = -1;
const IFINDEX_DEFAULT = -2;

/**
 * One entry: `FAMILY DEV forwarding on|off rp_filter … input on|off`, each
 * setting only when the kernel gave it.
 *
 * @example
 * ```ts ignore
 * printNetconf(p, { family: "inet", ifindex: -1, forwarding: 1, rpFilter: 2 }, links);
 * ```
 */
export function printNetconf(p: Printer, n: Netconf, links: LinkCache): void {
  p.openObject();
  p.string(Kind.Any, "family", "%s ", typeof n.family === "string" ? n.family : "???");
  if (n.ifindex) {
    const dev = n.ifindex === IFINDEX_ALL ? "all" : n.ifindex === IFINDEX_DEFAULT ? "default" : links.name(n.ifindex);
    p.colorString(Kind.Any, Color.Ifname, "interface", "%s ", dev);
  }
  if (n.forwarding !== undefined) p.onOff(Kind.Any, "forwarding", "forwarding %s ", n.forwarding !== 0);
  if (n.rpFilter !== undefined) {
    const name = RP_FILTER[n.rpFilter];
    if (name !== undefined) p.string(Kind.Any, "rp_filter", "rp_filter %s ", name);
    else p.uint(Kind.Any, "rp_filter", "rp_filter %u ", n.rpFilter);
  }
  if (n.mcForwarding !== undefined) p.onOff(Kind.Any, "mc_forwarding", "mc_forwarding %s ", n.mcForwarding !== 0);
  if (n.proxyNeigh !== undefined) p.onOff(Kind.Any, "proxy_neigh", "proxy_neigh %s ", n.proxyNeigh !== 0);
  if (n.ignoreRoutesWithLinkdown !== undefined) {
    p.onOff(
      Kind.Any,
      "ignore_routes_with_linkdown",
      "ignore_routes_with_linkdown %s ",
      n.ignoreRoutesWithLinkdown !== 0,
    );
  }
  if (n.input !== undefined) p.onOff(Kind.Any, "input", "input %s ", n.input !== 0);
  p.closeObject();
  p.write("\n");
}
