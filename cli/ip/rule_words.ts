/**
 * The words `ip rule` reads and prints that no other object shares: DS
 * fields, IP protocols (/etc/protocols, as getprotobyname), port and
 * uid ranges, fwmark/mask.
 *
 * @module
 */
import { IPPROTO } from "@nlink/nlink/tables";
import { invalidArgument } from "../common/args.ts";
import { parseUnsigned } from "../common/inet.ts";
import { dsfieldName } from "../common/names.ts";

/**
 * iproute2's rtnl_dsfield_a2n: a name from rt_dsfield, else hex up to 0xff.
 *
 * @example
 * ```ts
 * import { dsfieldId } from "./rule_words.ts";
 * dsfieldId("10"); // 16
 * ```
 */
export function dsfieldId(arg: string): number | undefined {
  for (let id = 0; id < 256; id++) if (dsfieldName(id, false) === arg) return id;
  return parseUnsigned(arg, 255, 16);
}

interface Protocol {
  name: string;
  number: number;
  aliases: string[];
}

let protocols: Protocol[] | undefined;

/** /etc/protocols, as getprotoent reads it. */
function protocolDb(): Protocol[] {
  if (protocols) return protocols;
  protocols = [];
  let text = "";
  try {
    text = Deno.readTextFileSync("/etc/protocols");
  } catch {
    return protocols;
  }
  for (const raw of text.split("\n")) {
    const words = raw.replace(/#.*/, "").trim().split(/\s+/);
    if (words.length < 2 || !/^\d+$/.test(words[1])) continue;
    protocols.push({ name: words[0], number: Number(words[1]), aliases: words.slice(2) });
  }
  return protocols;
}

/**
 * iproute2's inet_proto_n2a: the /etc/protocols name, else `ipproto-N`
 * (always with `-N`).
 *
 * @example
 * ```ts ignore
 * ipprotoName(6, false); // "tcp"
 * ```
 */
export function ipprotoName(n: number, numeric: boolean): string {
  const pe = protocolDb().find((p) => p.number === n);
  return pe && !numeric ? pe.name : `ipproto-${n}`;
}

/**
 * iproute2's inet_proto_a2n: a decimal u8, else a name or alias from /etc/protocols.
 *
 * @example
 * ```ts ignore
 * ipprotoId("udp"); // 17
 * ```
 */
export function ipprotoId(arg: string): number | undefined {
  const v = parseUnsigned(arg, 255, 10);
  if (v !== undefined) return v;
  return protocolDb().find((p) => p.name === arg || p.aliases.includes(arg))?.number;
}

/**
 * A decoded rule's `ipProto` (name or number) as a number.
 *
 * @example
 * ```ts
 * import { ipprotoNumber } from "./rule_words.ts";
 * ipprotoNumber("tcp"); // 6
 * ```
 */
export function ipprotoNumber(p: string | number): number {
  return typeof p === "number" ? p : IPPROTO.has(p) ? IPPROTO.value(p) : 0;
}

/**
 * `sscanf("%hu-%hu")` as `ip rule` reads ports: `80` or `80-90`.
 *
 * @example
 * ```ts
 * import { portRange } from "./rule_words.ts";
 * portRange("80-90", "x"); // { start: 80, end: 90 }
 * ```
 */
export function portRange(arg: string, what: string): { start: number; end: number } {
  const m = /^\s*([+-]?\d+)(?:-\s*([+-]?\d+))?/.exec(arg);
  if (!m) throw invalidArgument(what, arg);
  const start = Number(m[1]) & 0xffff;
  const end = m[2] === undefined ? start : Number(m[2]) & 0xffff;
  return { start, end };
}

/**
 * `sscanf("%u-%u")` as `ip rule` reads uid ranges.
 *
 * @example
 * ```ts
 * import { uidRange } from "./rule_words.ts";
 * uidRange("100-200"); // { start: 100, end: 200 }
 * ```
 */
export function uidRange(arg: string): { start: number; end: number } {
  const m = /^\s*([+-]?\d+)-\s*([+-]?\d+)/.exec(arg);
  if (!m) throw invalidArgument("invalid UID range\n", arg);
  return { start: Number(m[1]) >>> 0, end: Number(m[2]) >>> 0 };
}

/**
 * `fwmark MARK[/MASK]` as `ip rule` reads it.
 *
 * @example
 * ```ts
 * import { fwmarkMask } from "./rule_words.ts";
 * fwmarkMask("0x10/0xff"); // { mark: 16, mask: 255 }
 * ```
 */
export function fwmarkMask(arg: string): { mark: number; mask?: number } {
  const slash = arg.indexOf("/");
  const markText = slash < 0 ? arg : arg.slice(0, slash);
  const mark = parseUnsigned(markText);
  if (mark === undefined) throw invalidArgument("fwmark value is invalid\n", markText);
  if (slash < 0) return { mark };
  const mask = parseUnsigned(arg.slice(slash + 1));
  if (mask === undefined) throw invalidArgument("fwmask value is invalid\n", arg.slice(slash + 1));
  return { mark, mask };
}

/**
 * iproute2's check_ifname: 1-15 characters, no `/` or white space.
 *
 * @example
 * ```ts
 * import { validIfname } from "./rule_words.ts";
 * validIfname("p0"); // true
 * ```
 */
export function validIfname(name: string): boolean {
  return name !== "" && name.length < 16 && !/[\s/]/.test(name);
}

/**
 * iproute2's get_u64 (base 0): a whole unsigned 64-bit number, or undefined.
 *
 * @example
 * ```ts
 * import { parseU64 } from "./rule_words.ts";
 * parseU64("0x10"); // 16n
 * ```
 */
export function parseU64(arg: string): bigint | undefined {
  const m = /^\s*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(arg);
  if (!m) return undefined;
  const t = m[1];
  const v = /^0[xX]/.test(t) ? BigInt(t) : t.length > 1 && t[0] === "0" ? BigInt("0o" + t.slice(1)) : BigInt(t);
  return v >= 1n << 64n ? undefined : v;
}
