/**
 * One IPv6 address-label entry as iproute2's print_addrlabel prints it, for
 * `ip addrlabel list` and `ip monitor` (whose saved files may hold them).
 *
 * @module
 */
import type { AddressLabel } from "@nlink/nlink";
import { Kind, type Printer } from "../common/output.ts";
import { Color, familyColor } from "../common/color.ts";
import type { LinkNames } from "./links.ts";

/**
 * Prints `l` (`deleted`: an RTM_DELADDRLABEL, which iproute2 prefixes with `Deleted `).
 *
 * @example
 * ```ts ignore
 * printAddressLabel(p, { family: "inet6", prefixlen: 96, flags: 0, index: 0, seq: 0, address: "::", label: 3 }, links);
 * // prefix ::/96 label 3
 * ```
 */
export function printAddressLabel(p: Printer, l: AddressLabel, links: LinkNames, deleted = false): void {
  p.openObject();
  if (deleted) p.bool(Kind.Any, "deleted", "Deleted ", true);
  if (l.address !== undefined) {
    p.write("prefix ");
    p.colorString(Kind.Any, familyColor(l.address.includes(":") ? "inet6" : "inet"), "address", "%s", l.address);
    p.uint(Kind.Any, "prefixlen", "/%u ", l.prefixlen);
  }
  if (l.index) {
    p.write("dev ");
    p.colorString(Kind.Any, Color.Ifname, "ifname", "%s ", links.name(l.index));
  }
  if (l.label !== undefined) p.uint(Kind.Any, "label", "label %u ", l.label);
  p.write("\n");
  p.closeObject();
}
