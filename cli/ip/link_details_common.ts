/**
 * Helpers shared by the `ip -d link` kind printers: typed reads of the
 * library's decoded kind data (numbers, booleans, enum names), and the few
 * value formats several kinds share (tunnel endpoints, dotted keys, encap).
 *
 * @module
 */
import { Kind, type Printer } from "../common/output.ts";

/** A kind's decoded data: attribute values by name (numbers, bigints, strings, structs). */
export type KindData = Record<string, unknown>;

/** A kind's detail printer: the decoded data (undefined when the kernel sent none) and ifindex → name. */
export type KindPrinter = (p: Printer, data: KindData | undefined, names: (index: number) => string) => void;

/**
 * A number attribute, or undefined when absent (on/off bytes the library
 * decodes as booleans come back as 1 and 0).
 *
 * @example
 * ```ts
 * import { num } from "./link_details_common.ts";
 * num({ ttl: 64, learning: true }, "learning"); // 1
 * ```
 */
export function num(d: KindData, key: string): number | undefined {
  const v = d[key];
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  return undefined;
}

/**
 * An enum attribute as its index in iproute2's name table: the library gives
 * the name when it knows the value, the number otherwise.
 *
 * @example
 * ```ts
 * import { enumIndex } from "./link_details_common.ts";
 * enumIndex({ mode: "vepa" }, "mode", ["", "private", "vepa"]); // 2
 * ```
 */
export function enumIndex(d: KindData, key: string, names: readonly string[]): number | undefined {
  const v = d[key];
  if (typeof v === "number") return v;
  if (typeof v !== "string") return undefined;
  const i = names.indexOf(v);
  return i >= 0 ? i : undefined;
}

/**
 * A flag set the library decoded to names (unnamed bits as `0x…`) back to its
 * mask, given each name's bit.
 *
 * @example
 * ```ts
 * import { flagBits } from "./link_details_common.ts";
 * flagBits(["key", "0x100"], { key: 0x20 }); // 0x120
 * ```
 */
export function flagBits(v: unknown, bits: Readonly<Record<string, number>>): number {
  if (typeof v === "number") return v;
  if (!Array.isArray(v)) return 0;
  let mask = 0;
  for (const name of v) {
    if (typeof name !== "string") continue;
    mask |= bits[name] ?? (name.startsWith("0x") ? parseInt(name, 16) : 0);
  }
  return mask >>> 0;
}

/**
 * Whether an IPv4 or IPv6 address text is multicast (IN_MULTICAST / IN6_IS_ADDR_MULTICAST).
 *
 * @example
 * ```ts
 * import { isMulticastText } from "./link_details_common.ts";
 * isMulticastText("239.1.1.1"); // true
 * ```
 */
export function isMulticastText(addr: string): boolean {
  if (addr.includes(":")) return /^ff/i.test(addr);
  const first = Number(addr.split(".")[0]);
  return first >= 224 && first <= 239;
}

/**
 * An Ethernet protocol as iproute2's ll_proto_n2a names it: the library's
 * name (they agree) or `[N]` for a number it has no name for.
 *
 * @example
 * ```ts
 * import { llProtoName } from "./link_details_common.ts";
 * llProtoName(0x1234); // "[4660]"
 * ```
 */
export function llProtoName(v: unknown): string {
  return typeof v === "string" ? v : `[${v}]`;
}

/** Whether an IPv4 or IPv6 address text is the unspecified address. */
export function unspecified(addr: string): boolean {
  return addr === "0.0.0.0" || addr === "::";
}

/**
 * A u32 in host order as the dotted quad inet_ntop writes for its network
 * bytes (GRE and VTI keys).
 *
 * @example
 * ```ts
 * import { dotted } from "./link_details_common.ts";
 * dotted(256); // "0.0.1.0"
 * ```
 */
export function dotted(v: number): string {
  return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** iproute2's tnl_print_endpoint: `remote ADDR ` with `any` for absent or all-zero. */
export function printEndpoint(p: Printer, name: string, v: unknown): void {
  const value = typeof v !== "string" || unspecified(v) ? "any" : v;
  p.string(Kind.Any, name, `${name} %s`, value);
  p.write(" ");
}

/** An ifindex attribute as `dev NAME ` (JSON `link`), when not 0. */
export function printDev(p: Printer, d: KindData, key: string, names: (i: number) => string): void {
  const link = num(d, key);
  if (link) p.string(Kind.Any, "link", "dev %s ", names(link));
}

/** `tos 0x… ` / `tos inherit ` (1) of tunnels whose TOS 1 means inherit; nothing for 0. */
export function printTos(p: Printer, tos: number | undefined): void {
  if (!tos) return;
  if (p.json || tos !== 1) p.hex0x(Kind.Any, "tos", "tos %#llx ", tos);
  else p.string(Kind.Text, null, "tos %s ", "inherit");
}

/** `fwmark 0x… ` when not 0. */
export function printFwmark(p: Printer, d: KindData): void {
  const mark = num(d, "fwmark");
  if (mark) p.hex0x(Kind.Any, "fwmark", "fwmark %#llx ", mark);
}

const ENCAP_FLAG_BITS = { csum: 1, csum6: 2, remcsum: 4 };

/**
 * iproute2's tnl_print_encap: FOU/GUE encapsulation of ip tunnels, nothing
 * for none.
 *
 * @example
 * ```ts ignore
 * printEncap(p, { encapType: "fou", encapSport: 0, encapDport: 5555, encapFlags: [] });
 * ```
 */
export function printEncap(p: Printer, d: KindData): void {
  const type = d.encapType;
  if (type === undefined || type === "none" || type === 0) return;
  const flags = flagBits(d.encapFlags, ENCAP_FLAG_BITS);
  const sport = num(d, "encapSport") ?? 0;
  const dport = num(d, "encapDport") ?? 0;
  p.openObject("encap");
  p.write("encap ");
  if (type === "fou" || type === "gue") p.string(Kind.Any, "type", "%s ", type);
  else p.null(Kind.Any, "type", "%s ", "unknown");
  if (p.json) {
    p.uint(Kind.Json, "sport", "", sport);
    p.uint(Kind.Json, "dport", "", dport);
    p.bool(Kind.Json, "csum", "", (flags & 1) !== 0);
    p.bool(Kind.Json, "csum6", "", (flags & 2) !== 0);
    p.bool(Kind.Json, "remcsum", "", (flags & 4) !== 0);
    p.closeObject();
    return;
  }
  p.write(sport ? `encap-sport ${sport} ` : "encap-sport auto ");
  p.write(`encap-dport ${dport} `);
  p.write(`${flags & 1 ? "" : "no"}encap-csum `);
  p.write(`${flags & 2 ? "" : "no"}encap-csum6 `);
  p.write(`${flags & 4 ? "" : "no"}encap-remcsum `);
}
