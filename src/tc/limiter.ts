/**
 * High-level shaping helpers, each idempotent (applying twice leaves the
 * same state) and undoable:
 *
 * - {@linkcode applyRateLimit}: a device's egress rate (tbf at its root) and
 *   ingress rate (traffic redirected to an ifb device that shapes it);
 * - {@linkcode applyPerHostLimit}: an htb tree with one class per host,
 *   subnet or port, classified by u32 filters, and a default class for the rest.
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { ERRNO } from "../core/errno.ts";
import { NetlinkError, ValidationError } from "../core/errors.ts";
import { parsePrefix } from "../util/addr.ts";
import { LazyModule } from "../core/lazy.ts";
import { getLinkName } from "../route/link_lookup.ts";

// The ifb device is made and removed through the link module, loaded by the helpers that need one (importing
// the traffic-control module must not load every link kind's schema).
const LINK = new LazyModule(() => import("../route/link.ts"));
import type { Dev } from "../route/link_types.ts";
import { addClass } from "./class.ts";
import type { Rate, Size, Time } from "./common.ts";
import { addFilter, deleteFilter } from "./filter.ts";
import { addQdisc, deleteQdisc, getQdiscs, replaceQdisc } from "./qdisc.ts";
import { parseRate, parseSize } from "./units.ts";
import type { U32Match } from "./filters/u32_match.ts";

/** What {@linkcode applyRateLimit} shapes. */
export interface RateLimitOptions {
  /** The device. */
  dev: Dev;
  /** The most the device sends (a tbf at its root). */
  egress?: Rate;
  /** The most the device receives (its ingress traffic goes through an ifb device shaped with a tbf). */
  ingress?: Rate;
  /** The bucket: bytes that may pass at full speed (default: 10 ms worth of the rate, at least 16 KiB). */
  burst?: Size;
  /** The longest a packet waits before it is dropped (default 50 ms). */
  latency?: Time;
  /** The ifb device for ingress (default `ifb` + the device's ifindex). */
  ifb?: string;
}

/** A bucket size: as given, or 10 ms of the rate (at least 16 KiB). */
function bucket(rate: bigint, burst: Size | undefined): number {
  if (burst !== undefined) return parseSize(burst, "burst");
  return Math.max(16384, Number(rate / 100n));
}

async function ifbName(conn: NetlinkConnection, o: { dev: Dev; ifb?: string }): Promise<string> {
  return o.ifb ?? `ifb${(await getLinkName(conn, o.dev)).index}`;
}

async function exists(conn: NetlinkConnection, dev: Dev): Promise<boolean> {
  try {
    await getLinkName(conn, dev);
    return true;
  } catch (e) {
    if (e instanceof NetlinkError && e.isNotFound()) return false;
    throw e;
  }
}

/** Runs `op`, ignoring "no such object" (removal of what is already gone). */
async function ignoreMissing(op: Promise<void>): Promise<void> {
  try {
    await op;
  } catch (e) {
    // The kernel answers EINVAL when asked to delete a root qdisc that is only the default one.
    if (e instanceof NetlinkError && (e.isNotFound() || e.errno === ERRNO.EINVAL)) return;
    throw e;
  }
}

/**
 * Limits a device's egress and/or ingress rate (`tc qdisc replace … tbf`,
 * plus an ingress qdisc, a u32 match-all filter redirecting to an ifb device
 * and a tbf on that device). Applying again replaces the limits.
 *
 * @example
 * ```ts ignore
 * await applyRateLimit(conn, { dev: "p0", egress: "10mbit", ingress: "5mbit" });
 * await removeRateLimit(conn, { dev: "p0" });
 * ```
 */
export async function applyRateLimit(conn: NetlinkConnection, o: RateLimitOptions): Promise<void> {
  if (o.egress === undefined && o.ingress === undefined) {
    throw new ValidationError("egress", o.egress, "give an egress or an ingress rate");
  }
  const egress = o.egress === undefined ? undefined : parseRate(o.egress, "egress");
  const ingress = o.ingress === undefined ? undefined : parseRate(o.ingress, "ingress");
  const latency = o.latency ?? "50ms";
  if (egress !== undefined) {
    await replaceQdisc(conn, { dev: o.dev, kind: "tbf", rate: egress, burst: bucket(egress, o.burst), latency });
  }
  if (ingress === undefined) return;
  const ifb = await ifbName(conn, o);
  if (!(await exists(conn, ifb))) await LINK.call((m) => m.addLink(conn, { kind: "ifb", name: ifb }));
  await LINK.call((m) => m.setLink(conn, ifb, { up: true }));
  await replaceQdisc(conn, { dev: ifb, kind: "tbf", rate: ingress, burst: bucket(ingress, o.burst), latency });
  await replaceQdisc(conn, { dev: o.dev, kind: "ingress" });
  await ignoreMissing(deleteFilter(conn, { dev: o.dev, parent: "ffff:", prio: 1 }));
  await addFilter(conn, {
    dev: o.dev,
    parent: "ffff:",
    prio: 1,
    protocol: "all",
    kind: "u32",
    match: [{ type: "u32", value: 0, mask: 0 }],
    actions: [{ kind: "mirred", direction: "egress", action: "redirect", dev: ifb }],
  });
}

/**
 * Removes what {@linkcode applyRateLimit} set up: the root tbf, the ingress
 * qdisc and the ifb device. Missing parts are not an error.
 *
 * @example
 * ```ts ignore
 * await removeRateLimit(conn, { dev: "p0" });
 * ```
 */
export async function removeRateLimit(conn: NetlinkConnection, o: { dev: Dev; ifb?: string }): Promise<void> {
  const qdiscs = await getQdiscs(conn, { dev: o.dev });
  if (qdiscs.some((q) => q.kind === "tbf" && q.parent === "root")) {
    await ignoreMissing(deleteQdisc(conn, { dev: o.dev }));
  }
  if (qdiscs.some((q) => q.kind === "ingress")) await ignoreMissing(deleteQdisc(conn, { dev: o.dev, kind: "ingress" }));
  const ifb = await ifbName(conn, o);
  if (await exists(conn, ifb)) await LINK.call((m) => m.delLink(conn, ifb));
}

/** One class of {@linkcode applyPerHostLimit}: the traffic it matches and its rate. */
export interface HostLimit {
  /** An address or prefix (`"10.0.0.5"`, `"10.0.0.0/24"`, `"2001:db8::/64"`). */
  host?: string;
  /** Match the destination (`"dst"`, the default: traffic to the host) or the source. */
  direction?: "dst" | "src";
  /** A TCP/UDP port (destination or source, as `direction`), assuming no IP options or IPv6 extension headers. */
  port?: number;
  /** The guaranteed rate. */
  rate: Rate;
  /** The most it may borrow up to (default: `rate`). */
  ceil?: Rate;
}

/** What {@linkcode applyPerHostLimit} builds. */
export interface PerHostLimitOptions {
  /** The device whose egress is shaped. */
  dev: Dev;
  /** The rate of everything no limit matches. */
  defaultRate: Rate;
  /** The limited hosts, subnets and ports (first match wins, in this order). */
  limits: HostLimit[];
  /** The device's total (the root class's rate; default: 10gbit). */
  total?: Rate;
}

/** The minor number of the default class. */
const DEFAULT_MINOR = 0xffff;

function hostMatches(l: HostLimit, i: number): { protocol: "ip" | "ipv6"; match: U32Match[] } {
  const path = `limits[${i}]`;
  if (l.host === undefined && l.port === undefined) {
    throw new ValidationError(`${path}.host`, l.host, "a limit needs a host, a subnet or a port");
  }
  const field = l.direction ?? "dst";
  if (field !== "dst" && field !== "src") {
    throw new ValidationError(`${path}.direction`, l.direction, "expected dst or src");
  }
  const v6 = l.host !== undefined && parsePrefix(l.host).family === 10;
  const match: U32Match[] = [];
  if (l.host !== undefined) match.push({ type: v6 ? "ip6" : "ip", field, value: l.host });
  if (l.port !== undefined) {
    if (!Number.isInteger(l.port) || l.port < 0 || l.port > 0xffff) {
      throw new ValidationError(`${path}.port`, l.port, "expected a port 0-65535");
    }
    match.push({ type: v6 ? "ip6" : "ip", field: field === "dst" ? "dport" : "sport", value: l.port });
  }
  return { protocol: v6 ? "ipv6" : "ip", match };
}

/**
 * Shapes a device's egress per host, subnet or port: an htb root (`1:`),
 * one class per limit (`1:10`, `1:11`, …) chosen by u32 filters, and a
 * default class (`1:ffff`) for the rest. Applying again rebuilds the tree.
 *
 * @example
 * ```ts ignore
 * await applyPerHostLimit(conn, {
 *   dev: "p0",
 *   defaultRate: "100mbit",
 *   limits: [{ host: "10.0.0.5", rate: "5mbit" }, { host: "10.0.1.0/24", rate: "20mbit", ceil: "50mbit" }, { port: 80, rate: "1mbit" }],
 * });
 * ```
 */
export async function applyPerHostLimit(conn: NetlinkConnection, o: PerHostLimitOptions): Promise<void> {
  if (!Array.isArray(o.limits)) throw new ValidationError("limits", o.limits, "expected a list of limits");
  if (o.limits.length > DEFAULT_MINOR - 0x10) throw new ValidationError("limits", o.limits.length, "too many limits");
  const total = parseRate(o.total ?? "10gbit", "total");
  const defaultRate = parseRate(o.defaultRate, "defaultRate");
  const plan = o.limits.map((l, i) => ({
    ...hostMatches(l, i),
    rate: parseRate(l.rate, `limits[${i}].rate`),
    ceil: l.ceil === undefined ? undefined : parseRate(l.ceil, `limits[${i}].ceil`),
  }));
  await removePerHostLimit(conn, o);
  await addQdisc(conn, { dev: o.dev, handle: "1:", kind: "htb", default: DEFAULT_MINOR });
  await addClass(conn, { dev: o.dev, parent: "1:", classid: "1:1", kind: "htb", rate: total });
  await addClass(conn, {
    dev: o.dev,
    parent: "1:1",
    classid: `1:${DEFAULT_MINOR.toString(16)}`,
    kind: "htb",
    rate: defaultRate,
  });
  for (const [i, p] of plan.entries()) {
    const classid = `1:${(0x10 + i).toString(16)}`;
    await addClass(conn, { dev: o.dev, parent: "1:1", classid, kind: "htb", rate: p.rate, ceil: p.ceil });
    await addFilter(conn, {
      dev: o.dev,
      parent: "1:",
      prio: p.protocol === "ip" ? 1 : 2,
      protocol: p.protocol,
      kind: "u32",
      match: p.match,
      classid,
    });
  }
}

/**
 * Removes what {@linkcode applyPerHostLimit} built (the htb root `1:`);
 * nothing happens when it is not there.
 *
 * @example
 * ```ts ignore
 * await removePerHostLimit(conn, { dev: "p0" });
 * ```
 */
export async function removePerHostLimit(conn: NetlinkConnection, o: { dev: Dev }): Promise<void> {
  const root = (await getQdiscs(conn, { dev: o.dev })).find((q) => q.parent === "root" && q.handle === "1:");
  if (root?.kind === "htb") await deleteQdisc(conn, { dev: o.dev });
}
