/**
 * EtherType words as iproute2's ll_proto_a2n reads them (`protocol` of tc
 * filters, vlan and VF VLANs, bridge's `vlan_protocol`, bareudp's
 * `ethertype`).
 *
 * @module
 */
import { ETH_P } from "@nlink/nlink/tables";
import { parseUnsigned } from "./inet.ts";

/**
 * A name of iproute2's table in any case (`802.1q`, `IPv6`), as the
 * library's name of it, or a 16-bit number in C syntax, as the number;
 * undefined for anything else.
 *
 * @example
 * ```ts
 * import { llProto } from "./ll_proto.ts";
 * llProto("802.1q"); // "802.1Q"
 * llProto("0x88cc"); // 35020
 * llProto("bogus"); // undefined
 * ```
 */
export function llProto(word: string): string | number | undefined {
  if (ETH_P.has(word)) return word;
  const lower = word.toLowerCase();
  const name = ETH_P.names.find((n) => n.toLowerCase() === lower);
  return name ?? parseUnsigned(word, 0xffff);
}
