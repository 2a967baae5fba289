/**
 * The `nh_info` line `ip -d route` prints under a route that uses a nexthop
 * object (`nhid N`): the object as `ip -d nexthop` prints it. iproute2 asks
 * the kernel for each id when first printed; here the objects are fetched
 * before the routes print (the printer is synchronous), so this module is
 * loaded only for `-d`.
 *
 * @module
 */
import type { Connection, Nexthop } from "@nlink/nlink";
import { Printer } from "../common/output.ts";
import type { LinkCache } from "./links.ts";
import { printNexthop } from "./nexthop_print.ts";

/**
 * A nexthop object by id as the route printer embeds it: the text after
 * `nh_info `, or in JSON mode the object as compact JSON; undefined when the
 * kernel has no such object (iproute2 then prints nothing).
 */
export type NhInfo = (id: number) => string | undefined;

/** Output switches the embedded object is printed with. */
export interface NhInfoOptions {
  /** `-j`. */
  json: boolean;
  /** `-d` count. */
  details: number;
  /** `-N`. */
  numeric: boolean;
}

/**
 * Fetches nexthop objects (every one, or only `ids`) and returns their
 * printed forms by id. Failures (a kernel without nexthop objects, an id
 * gone meanwhile) leave the object out, as iproute2 prints nothing for them.
 *
 * @example
 * ```ts ignore
 * const nhInfo = await loadNhInfo(conn, links, { json: false, details: 1, numeric: false });
 * nhInfo(1); // "id 1 via 10.0.0.2 dev p0 scope link proto unspec "
 * ```
 */
export async function loadNhInfo(
  conn: Connection,
  links: LinkCache,
  o: NhInfoOptions,
  ids?: readonly number[],
): Promise<NhInfo> {
  const byId = new Map<number, Nexthop>();
  try {
    if (ids === undefined) { for (const nh of await conn.getNexthops()) byId.set(nh.id, nh); }
    else for (const id of ids) byId.set(id, await conn.getNexthop(id));
  } catch {
    // Printed without nh_info, as iproute2 does when its lookup fails.
  }
  const printed = new Map<number, string>();
  return (id) => {
    let s = printed.get(id);
    if (s !== undefined) return s;
    const nh = byId.get(id);
    if (nh === undefined) return undefined;
    const p = new Printer({ json: o.json, pretty: false });
    printNexthop(p, nh, links, { details: o.details, numeric: o.numeric });
    s = p.text();
    // printNexthop ends its text line; the route's line goes on after the object.
    if (!o.json && s.endsWith("\n")) s = s.slice(0, -1);
    printed.set(id, s);
    return s;
  };
}
