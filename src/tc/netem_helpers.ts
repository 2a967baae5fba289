/**
 * Network emulation in one call: put netem at the root of a device with the
 * given impairments, and take it away again.
 *
 * ```ts ignore
 * await applyNetem(conn, "eth0", { delay: "100ms", jitter: "10ms", loss: "1%" });
 * // … test under bad network conditions …
 * await removeNetem(conn, "eth0");
 * ```
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import type { Dev } from "../route/link_types.ts";
import { deleteQdisc, getQdiscs, type Qdisc, qdiscRequest, replaceQdisc } from "./qdisc.ts";
import type { NetemOptions } from "./qdiscs/netem.ts";

/** The impairments {@linkcode applyNetem} sets: netem's options without `kind`. */
export type NetemSettings = Omit<NetemOptions, "kind">;

/** The device's root qdisc (the kernel's default one too). */
async function rootQdisc(conn: NetlinkConnection, dev: Dev): Promise<Qdisc | undefined> {
  return (await getQdiscs(conn, { dev })).find((q) => q.parent === "root");
}

/**
 * Makes netem the root qdisc of `dev` with exactly `settings` (replacing
 * whatever root qdisc it had). Idempotent: applying the same settings again
 * leaves the same state, and applying others replaces every setting. A
 * netem already at the root is deleted and a fresh one added (for a moment
 * the device has its default qdisc): changing it in place would keep the
 * settings the new ones leave out (a rate, a slot, a distribution table,
 * ECN), and a second netem cannot be grafted over it when either duplicates
 * packets. Bad settings throw a ValidationError before anything is sent.
 *
 * @example
 * ```ts ignore
 * await applyNetem(conn, "p0", { delay: "50ms", jitter: "5ms", distribution: "normal", loss: "0.5%" });
 * ```
 */
export async function applyNetem(conn: NetlinkConnection, dev: Dev, settings: NetemSettings): Promise<void> {
  for (const key of ["kind", "dev", "parent", "handle"]) {
    const value = (settings as Record<string, unknown>)[key];
    if (value !== undefined) throw new ValidationError(key, value, "applyNetem puts netem at the root of dev");
  }
  const options: NetemOptions = { ...settings, kind: "netem" };
  qdiscRequest("replace", 1, { ...options, dev: 1 }); // bad settings fail here, before anything is sent
  await removeNetem(conn, dev);
  // Another kind at the root, or the default: the kernel grafts the new netem in its place.
  await replaceQdisc(conn, { ...options, dev });
}

/**
 * Removes netem from the root of `dev` (the device falls back to its default
 * qdisc); does nothing when the root qdisc is not netem. Returns whether one
 * was removed.
 *
 * @example
 * ```ts ignore
 * await removeNetem(conn, "p0"); // true, then false on a second call
 * ```
 */
export async function removeNetem(conn: NetlinkConnection, dev: Dev): Promise<boolean> {
  const root = await rootQdisc(conn, dev);
  if (root?.kind !== "netem") return false;
  await deleteQdisc(conn, { dev, handle: root.handle });
  return true;
}
