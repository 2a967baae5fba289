/**
 * {@linkcode watchNamespaces}, loading the event decoders (every rtnetlink
 * object's) only when a program watches: the root module exports it, and
 * most programs never call it.
 *
 * @module
 */
import { LazyModule } from "../core/lazy.ts";
import type { EventOptions, NetworkEvent, WatchedNamespace } from "./events.ts";

const EVENTS = new LazyModule(() => import("./events.ts"));

/**
 * Several namespaces' notifications merged into one stream, each event tagged
 * with its namespace's label. Breaking out (or aborting `signal`) ends every
 * subscription at once.
 *
 * @example
 * ```ts ignore
 * import { Connection, watchNamespaces } from "@nlink/nlink";
 * const blue = await Connection.open({ netns: "blue" });
 * const red = await Connection.open({ netns: "red" });
 * for await (const ev of watchNamespaces([{ conn: blue, label: "blue" }, { conn: red, label: "red" }])) {
 *   console.log(ev.netns, ev.type);
 * }
 * ```
 */
export function watchNamespaces(
  namespaces: WatchedNamespace[],
  options: EventOptions = {},
): AsyncGenerator<NetworkEvent> {
  return EVENTS.stream((m) => m.watchNamespaces(namespaces, options));
}
