/**
 * Where the link message's IFLA_INFO_DATA and IFLA_INFO_SLAVE_DATA find the
 * kinds' layouts (link_kinds.ts), without importing them: reading links
 * loads the kinds only once a link actually carries kind data.
 *
 * The kinds are most of the link code (every kind's attributes, built when
 * their modules load), and a system of physical devices and `lo` never needs
 * them: `ip link show` there starts without them (the start-up target of
 * issue 6). link_kinds.ts registers its layouts here when it loads; a link
 * decoded before that which carries kind data throws
 * {@linkcode LinkKindsNotLoaded}, and the readers in link_read.ts then keep
 * its message, load the kinds and decode it (never asking the kernel again).
 * Everything that builds link requests imports link_kinds.ts directly, as do
 * the event and bridge readers.
 *
 * @module
 */
import type { Variants } from "../core/schema.ts";

/** The layouts link_kinds.ts registers. */
export interface LinkKindLayouts {
  /** IFLA_INFO_DATA layouts by kind. */
  kinds(): Variants;
  /** IFLA_INFO_SLAVE_DATA layouts by the master's kind. */
  slaveKinds(): Variants;
}

let layouts: LinkKindLayouts | undefined;

/**
 * Thrown while decoding a link that carries kind data before link_kinds.ts
 * has loaded; the readers in link_read.ts catch it.
 *
 * @example
 * ```ts
 * import { LinkKindsNotLoaded } from "./link_kind_registry.ts";
 * new LinkKindsNotLoaded().message; // "the link kinds' layouts are not loaded (await loadLinkKinds() first)"
 * ```
 */
export class LinkKindsNotLoaded extends Error {
  /** The one message: the kinds are not loaded yet. */
  constructor() {
    super("the link kinds' layouts are not loaded (await loadLinkKinds() first)");
    this.name = "LinkKindsNotLoaded";
  }
}

/**
 * Called once by link_kinds.ts as it loads.
 *
 * @example
 * ```ts ignore
 * registerLinkKinds({ kinds: linkKindSchemas, slaveKinds: linkSlaveKindSchemas });
 * ```
 */
export function registerLinkKinds(l: LinkKindLayouts): void {
  layouts = l;
}

/** The registered layouts, or {@linkcode LinkKindsNotLoaded}. */
function registered(): LinkKindLayouts {
  if (layouts === undefined) throw new LinkKindsNotLoaded();
  return layouts;
}

/**
 * IFLA_INFO_DATA layouts by kind (the link schema's `variants`).
 *
 * @example
 * ```ts
 * import { linkKindSchemas, loadLinkKinds } from "./link_kind_registry.ts";
 * await loadLinkKinds();
 * "vxlan" in linkKindSchemas(); // true
 * ```
 */
export function linkKindSchemas(): Variants {
  return registered().kinds();
}

/**
 * IFLA_INFO_SLAVE_DATA layouts by the master's kind.
 *
 * @example
 * ```ts
 * import { linkSlaveKindSchemas, loadLinkKinds } from "./link_kind_registry.ts";
 * await loadLinkKinds();
 * "bridge" in linkSlaveKindSchemas(); // true
 * ```
 */
export function linkSlaveKindSchemas(): Variants {
  return registered().slaveKinds();
}

/**
 * Loads link_kinds.ts (which registers its layouts).
 *
 * @example
 * ```ts
 * import { loadLinkKinds } from "./link_kind_registry.ts";
 * await loadLinkKinds();
 * ```
 */
export async function loadLinkKinds(): Promise<void> {
  if (layouts === undefined) await import("./link_kinds.ts");
}
