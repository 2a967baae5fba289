/**
 * IPv6 tokenized interface identifiers (RFC 7136's "tokens"): the interface
 * identifier a link's autoconfigured addresses use, as `ip token` lists and
 * sets them. Read from the kernel's AF_INET6 link dump (IFLA_PROTINFO), set
 * through RTM_SETLINK's IFLA_AF_SPEC.
 *
 * @module
 */
import type { DumpOptions, NetlinkConnection } from "../core/connection.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import { encodeMessage, type MessageView } from "../core/message.ts";
import { MessageWriter } from "../core/writer.ts";
import { AF_INET6, parsePrefix } from "../util/addr.ts";
import { RTM } from "./constants.ts";
import { LINK_MESSAGE } from "./link_attrs.ts";
import { checkIndex, type Dev, resolveDev } from "./link_lookup.ts";
import { decodeLink } from "./link.ts";

/** A link's IPv6 token, as the AF_INET6 link dump reports it. */
export interface Ipv6Token {
  /** The link's index. */
  index: number;
  /** Its name. */
  name?: string;
  /** Its interface flags (`"UP"`, `"LOOPBACK"`, `"NOARP"`, …). */
  flags: string[];
  /** The token (`"::"` when none is set); undefined when the kernel sent none. */
  token?: string;
}

/**
 * Builds the AF_INET6 RTM_GETLINK dump `ip token list` sends.
 *
 * @example
 * ```ts
 * import { ipv6TokenDumpRequest } from "./token.ts";
 * ipv6TokenDumpRequest().length; // 32
 * ```
 */
export function ipv6TokenDumpRequest(): Uint8Array {
  const w = new MessageWriter(32);
  encodeMessage(w, LINK_MESSAGE, RTM.GETLINK, REQUEST_FLAGS.dump, { family: "inet6" });
  return w.bytes();
}

/**
 * Builds the RTM_SETLINK request `ip token set TOKEN dev DEV` sends (family
 * AF_INET6, IFLA_AF_SPEC › AF_INET6 › IFLA_INET6_TOKEN). A prefix length is
 * read and ignored, as iproute2 does; `"::"` removes the token.
 *
 * @example
 * ```ts
 * import { ipv6TokenSetRequest } from "./token.ts";
 * ipv6TokenSetRequest(3, "::1").length; // 60
 * ```
 */
export function ipv6TokenSetRequest(index: number, token: string): Uint8Array {
  checkIndex(index, "dev");
  const p = parsePrefix(token, "token", AF_INET6); // an IPv4 address is refused, naming the field
  const w = new MessageWriter(64);
  const attrs = { afSpec: { inet6: { token: p.address } } };
  encodeMessage(w, LINK_MESSAGE, RTM.SETLINK, REQUEST_FLAGS.ack, { family: "inet6", index }, attrs);
  return w.bytes();
}

const decodeToken = (m: MessageView): Ipv6Token | undefined => {
  if (m.type !== RTM.NEWLINK) return undefined;
  const l = decodeLink(m);
  const info = l.protinfo instanceof Uint8Array ? undefined : l.protinfo;
  return { index: l.index, name: l.name, flags: l.flags, token: info?.token };
};

/**
 * Every link's IPv6 token (`ip token list`), in the kernel's order.
 *
 * @example
 * ```ts ignore
 * for (const t of await getIpv6Tokens(conn)) console.log(t.name, t.token);
 * ```
 */
export function getIpv6Tokens(conn: NetlinkConnection, options: DumpOptions = {}): Promise<Ipv6Token[]> {
  return conn.dump(ipv6TokenDumpRequest(), decodeToken, "getIpv6Tokens", options);
}

/**
 * Sets a link's IPv6 token (`ip token set TOKEN dev DEV`); `"::"` removes it
 * (`ip token del dev DEV`). The kernel takes it only while the link's IPv6
 * is up and it does not use the token itself (the loopback, NOARP links).
 *
 * @example
 * ```ts ignore
 * await setIpv6Token(conn, "p0", "::1:2");
 * ```
 */
export async function setIpv6Token(conn: NetlinkConnection, dev: Dev, token: string): Promise<void> {
  ipv6TokenSetRequest(1, token); // bad input fails before any look-up
  const index = await resolveDev(conn, dev);
  await conn.ack(ipv6TokenSetRequest(index, token), `setIpv6Token ${dev}`);
}
