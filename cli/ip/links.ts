/**
 * The interfaces of the namespace, read once per command (iproute2's ll_map
 * cache): index ⇄ name, flags, and iproute2's name lookup rules. Listings
 * read them all with one dump; changes look up only the devices they name.
 *
 * @module
 */
import type { Connection, Link, LinkName } from "@nlink/nlink";
import { ValidationError } from "@nlink/nlink/core";
import { IFF, RTEXT_FILTER } from "@nlink/nlink/tables";

/** IFF_UP, one of the interface flags `ip link` tests itself (the bits come from the library's table). */
export const IFF_UP: number = IFF.bit("UP");
/** IFF_RUNNING (carrier), see {@linkcode IFF_UP}. */
export const IFF_RUNNING: number = IFF.bit("RUNNING");
/** IFF_POINTOPOINT, see {@linkcode IFF_UP}. */
export const IFF_POINTOPOINT: number = IFF.bit("POINTOPOINT");

/**
 * The interface flags of a decoded link as a number.
 *
 * @example
 * ```ts
 * import { flagMask } from "./links.ts";
 * flagMask(["UP", "LOWER_UP"]); // 65537
 * ```
 */
export function flagMask(names: readonly string[]): number {
  return names.length === 0 ? 0 : IFF.encode(names);
}

/** RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS: names and flags only, no counters. */
export const EXT_NO_STATS = 1 | 8;

/** A table of names only (what printers of other objects need): a {@linkcode LinkCache} of any shape. */
export type LinkNames = LinkCache<LinkName>;

/**
 * The namespace's links by index and name.
 *
 * @example
 * ```ts ignore
 * const links = await LinkCache.load(conn);
 * links.name(1); // "lo"
 * ```
 */
export class LinkCache<L extends LinkName = Link> {
  /** Links in kernel order. */
  readonly list: L[];
  readonly #byIndex = new Map<number, L>();
  readonly #byName = new Map<string, L>();

  /** Told of each name asked for that the table does not hold (see {@linkcode LinkCache.planning}). */
  #onMiss: ((name: string) => void) | undefined;

  /** A cache over an already fetched list. */
  constructor(list: L[]) {
    this.list = list;
    for (const l of list) this.#addIndexAndName(l);
    // Alternative names resolve too, but never shadow a real name.
    for (const l of list) this.#addAltNames(l);
  }

  #addIndexAndName(l: L): void {
    this.#byIndex.set(l.index, l);
    if (l.name !== undefined) this.#byName.set(l.name, l);
  }

  #addAltNames(l: L): void {
    for (const alt of l.propList?.altIfname ?? []) if (!this.#byName.has(alt)) this.#byName.set(alt, l);
  }

  /** A link looked up by name (a name no link can have is none). */
  static async #findOne(conn: Connection, name: string): Promise<Link | undefined> {
    try {
      return await conn.findLink(name);
    } catch (e) {
      if (e instanceof ValidationError) return undefined;
      throw e;
    }
  }

  /**
   * Runs `plan` (which resolves the names it meets through the table it is
   * given, synchronously) with only the links it names: each name it asks
   * for is looked up by name (one request each, in the order asked, as
   * iproute2 resolves each word as it reads it), then `plan` runs again,
   * until it asks for no name not yet looked up. Its last result (or error)
   * is the answer, and the warnings its last run gave `warn` go to stderr
   * (once, however many runs it took).
   */
  static async planning<T>(
    conn: Connection,
    plan: (links: LinkCache, warn: (message: string) => void) => T,
  ): Promise<T> {
    const links = new LinkCache<Link>([]);
    const asked = new Set<string>();
    for (;;) {
      const missed: string[] = [];
      // A run that asks for names runs again: only the last run's warnings are printed.
      const warnings: string[] = [];
      links.#onMiss = (name) => {
        if (!asked.has(name)) asked.add(name), missed.push(name);
      };
      let outcome: { ok: true; value: T } | { ok: false; error: unknown };
      try {
        outcome = { ok: true, value: plan(links, (message) => warnings.push(message)) };
      } catch (error) {
        outcome = { ok: false, error };
      } finally {
        links.#onMiss = undefined;
      }
      if (missed.length === 0) {
        for (const message of warnings) console.error(message);
        if (outcome.ok) return outcome.value;
        throw outcome.error;
      }
      for (const name of missed) {
        const link = await LinkCache.#findOne(conn, name);
        if (link === undefined || links.#byIndex.has(link.index)) continue;
        links.list.push(link);
        links.#addIndexAndName(link);
        links.#addAltNames(link);
      }
    }
  }

  /**
   * Reads every link with one dump, asked as iproute2 asks for its link
   * table (ll_init_map: no family, RTEXT_FILTER_VF).
   */
  static async load(conn: Connection): Promise<LinkCache> {
    return new LinkCache(await conn.getLinks({ family: "unspec", extMask: RTEXT_FILTER.VF }));
  }

  /**
   * Reads every link for a listing (`ip link show`, `ip tunnel show`): the
   * family AF_PACKET dump, without counters unless `stats`.
   */
  static async listing(conn: Connection, stats: boolean): Promise<LinkCache> {
    return new LinkCache(await conn.getLinks(stats ? {} : { extMask: EXT_NO_STATS }));
  }

  /**
   * Reads every link's index, name, flags and alternative names only (the
   * same dump, decoded without the link kinds): for commands that print
   * other objects and only name the devices. The request is iproute2's
   * ll_init_map's (RTEXT_FILTER_VF only: the kernel sends the counters too).
   */
  static async loadNames(conn: Connection): Promise<LinkCache<LinkName>> {
    return new LinkCache(await conn.getLinkNames({ extMask: RTEXT_FILTER.VF }));
  }

  /**
   * Reads only the links these names (or alternative names) name, one
   * request each in the order given, as iproute2 looks up each device word
   * of a command (ll_name_to_index): no dump, which on a host with thousands
   * of links would cost more than the change itself. Names with no link are
   * left out: `index()` then gives 0 (or N for `ifN`), as iproute2's does.
   * With `untilMissing`, the first name that names nothing ends the look-ups
   * (a command that fails there, as iproute2's does, asks for no more).
   */
  static async find(
    conn: Connection,
    names: Iterable<string | undefined>,
    untilMissing = false,
  ): Promise<LinkCache> {
    const asked = new Set<string>();
    const found = new Map<number, Link>();
    for (const name of names) {
      if (name === undefined || asked.has(name)) continue;
      asked.add(name);
      const link = await LinkCache.#findOne(conn, name);
      if (link !== undefined) found.set(link.index, link);
      else if (untilMissing && !/^if\d+$/.test(name)) break;
    }
    return new LinkCache([...found.values()]);
  }

  /**
   * iproute2's ll_name_to_index with its cache: a name the table holds, else
   * the kernel asked for it by name (one request), else `ifN` read as N; 0
   * when nothing matches.
   */
  async lookup(conn: Connection, name: string): Promise<number> {
    const known = this.#byName.get(name) ?? await LinkCache.#findOne(conn, name);
    return known ? known.index : this.index(name);
  }

  /** The link with this index, or this name (or alternative name). */
  get(dev: string | number): L | undefined {
    if (typeof dev === "number") return this.#byIndex.get(dev);
    const l = this.#byName.get(dev);
    if (l === undefined) this.#onMiss?.(dev);
    return l;
  }

  /** iproute2's ll_index_to_name: `*` for 0, `ifN` when unknown. */
  name(index: number): string {
    if (index === 0) return "*";
    return this.#byIndex.get(index)?.name ?? `if${index >>> 0}`;
  }

  /** iproute2's ll_index_to_flags: the flags, or -1 when unknown (0 for index 0). */
  flags(index: number): number {
    if (index === 0) return 0;
    const l = this.#byIndex.get(index);
    return l ? flagMask(l.flags) : -1;
  }

  /**
   * iproute2's ll_name_to_index: by name or alternative name, else `ifN`
   * read as index N (even when no such link exists); 0 when nothing matches.
   */
  index(name: string): number {
    const l = this.#byName.get(name);
    if (l) return l.index;
    this.#onMiss?.(name);
    const m = /^if(\d+)$/.exec(name);
    return m ? Number(m[1]) >>> 0 : 0;
  }
}
