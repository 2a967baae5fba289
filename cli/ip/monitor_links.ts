/**
 * The link table `ip monitor` keeps while it runs (iproute2's ll_map cache
 * fed by ll_remember_index): filled by one dump at the start, then updated by
 * every link notification, so names and flags are those of the moment the
 * event arrives, not of the start.
 *
 * @module
 */
import type { Connection, Link } from "@nlink/nlink";
import { flagMask, LinkCache } from "./links.ts";

/**
 * A {@linkcode LinkCache} that notifications keep current; the printers take
 * it wherever they take a link cache.
 *
 * @example
 * ```ts ignore
 * const links = await LiveLinks.load(conn);
 * links.remember(ev.link); // on newlink
 * links.forget(ev.link.index); // on dellink
 * ```
 */
export class LiveLinks extends LinkCache {
  readonly #byIndex = new Map<number, Link>();

  /** A table over an already fetched list. */
  constructor(list: Link[]) {
    super([]);
    for (const l of list) this.#byIndex.set(l.index, l);
  }

  /** Reads every link with one dump (names and flags: no counters). */
  static override async load(conn: Connection): Promise<LiveLinks> {
    return new LiveLinks((await LinkCache.load(conn)).list);
  }

  /** Records a link as a notification describes it (new, or changed). */
  remember(link: Link): void {
    this.#byIndex.set(link.index, link);
  }

  /** Drops a deleted link. */
  forget(index: number): void {
    this.#byIndex.delete(index);
  }

  /** Whether the table knows this index (0, "no device", counts as known). */
  has(index: number): boolean {
    return index === 0 || this.#byIndex.has(index);
  }

  /** The link with this index, or this name (or alternative name). */
  override get(dev: string | number): Link | undefined {
    if (typeof dev === "number") return this.#byIndex.get(dev);
    for (const l of this.#byIndex.values()) if (l.name === dev) return l;
    for (const l of this.#byIndex.values()) if (l.propList?.altIfname?.includes(dev)) return l;
    return undefined;
  }

  /** iproute2's ll_index_to_name: `*` for 0, `ifN` when unknown. */
  override name(index: number): string {
    if (index === 0) return "*";
    return this.#byIndex.get(index)?.name ?? `if${index >>> 0}`;
  }

  /** The flags, or -1 when unknown (0 for index 0). */
  override flags(index: number): number {
    if (index === 0) return 0;
    const l = this.#byIndex.get(index);
    return l ? flagMask(l.flags) : -1;
  }

  /** iproute2's ll_name_to_index: by name, else `ifN` read as N; 0 when nothing matches. */
  override index(name: string): number {
    const l = this.get(name);
    if (l) return l.index;
    const m = /^if(\d+)$/.exec(name);
    return m ? Number(m[1]) >>> 0 : 0;
  }
}
