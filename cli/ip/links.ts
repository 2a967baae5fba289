/**
 * The interfaces of the namespace, read once per command (iproute2's ll_map
 * cache): index ⇄ name, flags, and iproute2's name lookup rules.
 *
 * @module
 */
import type { Connection, Link, LinkName } from "@nlink/nlink";
import { IFF } from "@nlink/nlink/tables";

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

  /** A cache over an already fetched list. */
  constructor(list: L[]) {
    this.list = list;
    for (const l of list) {
      this.#byIndex.set(l.index, l);
      if (l.name !== undefined) this.#byName.set(l.name, l);
    }
    // Alternative names resolve too, but never shadow a real name.
    for (const l of list) {
      for (const alt of l.propList?.altIfname ?? []) if (!this.#byName.has(alt)) this.#byName.set(alt, l);
    }
  }

  /** Reads every link with one dump (without counters unless `stats`). */
  static async load(conn: Connection, stats = false): Promise<LinkCache> {
    return new LinkCache(await conn.getLinks(stats ? {} : { extMask: EXT_NO_STATS }));
  }

  /**
   * Reads every link's index, name, flags and alternative names only (the
   * same dump, decoded without the link kinds): for commands that print
   * other objects and only name the devices.
   */
  static async loadNames(conn: Connection): Promise<LinkCache<LinkName>> {
    return new LinkCache(await conn.getLinkNames({ extMask: EXT_NO_STATS }));
  }

  /** The link with this index, or this name (or alternative name). */
  get(dev: string | number): L | undefined {
    return typeof dev === "number" ? this.#byIndex.get(dev) : this.#byName.get(dev);
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
    const m = /^if(\d+)$/.exec(name);
    return m ? Number(m[1]) >>> 0 : 0;
  }
}
