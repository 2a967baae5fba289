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
import type { LinkNames } from "./links.ts";
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
  links: LinkNames,
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
  return nhInfoOf(byId, links, o, new Map());
}

/** The printed forms of the objects in `byId`, each printed once into `printed` (whoever changes `byId` clears it). */
function nhInfoOf(
  byId: ReadonlyMap<number, Nexthop>,
  links: LinkNames,
  o: NhInfoOptions,
  printed: Map<number, string>,
): NhInfo {
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

/**
 * iproute2's nexthop cache as `ip monitor` keeps it: objects remembered from nexthop notifications and
 * forgotten on their removal, an id not known yet asked of the kernel when a route first names it (and
 * asked again next time if that fails). Like iproute2's, it is not refreshed otherwise.
 *
 * @example
 * ```ts ignore
 * const cache = new NhInfoCache(conn, links, { json: false, details: 1, numeric: false });
 * const nhInfo = await cache.lookup([route.nhId]);
 * ```
 */
export class NhInfoCache {
  readonly #byId = new Map<number, Nexthop>();
  readonly #printed = new Map<number, string>();
  readonly #nhInfo: NhInfo;

  /** A cache asking `conn`, printing names from `links` with the switches `o`. */
  constructor(private readonly conn: Connection, links: LinkNames, o: NhInfoOptions) {
    this.#nhInfo = nhInfoOf(this.#byId, links, o, this.#printed);
  }

  /** A nexthop notification: the object as it now is, or (`removed`) gone. */
  note(nh: Nexthop, removed: boolean): void {
    this.#printed.delete(nh.id);
    if (removed) this.#byId.delete(nh.id);
    else this.#byId.set(nh.id, nh);
  }

  /** The printer of `nh_info` once the `ids` not cached are fetched (those the kernel lacks print nothing). */
  async lookup(ids: readonly number[]): Promise<NhInfo> {
    // Printed afresh for each event: device names may have changed since.
    this.#printed.clear();
    for (const id of ids) {
      if (this.#byId.has(id)) continue;
      try {
        this.#byId.set(id, await this.conn.getNexthop(id));
      } catch {
        // Printed without nh_info, as iproute2 does when its lookup fails.
      }
    }
    return this.#nhInfo;
  }
}
