/**
 * The floor for a decoded route dump in JS: a hand-written decoder that keeps
 * less than `getRoutes()` gives (the rtmsg header's numbers, and the
 * destination, gateway, output interface and table as numbers, no strings,
 * no names, no schema). bench/main.ts runs the same dump through it and keeps
 * every result, so the report shows what collecting 100,000 JS objects costs
 * on top of the transport, whatever the decoder.
 *
 * @module
 */
import type { MessageView } from "../../src/core/message.ts";

/** What the floor keeps of a route. */
export interface RouteNumbers {
  family: number;
  dstLen: number;
  srcLen: number;
  tos: number;
  table: number;
  protocol: number;
  scope: number;
  type: number;
  flags: number;
  dst: number;
  gateway: number;
  oif: number;
}

const RTM_NEWROUTE = 24;
const RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_TABLE = 15;

/**
 * One RTM_NEWROUTE as numbers (IPv4 addresses as big-endian u32), or undefined for any other message.
 *
 * @example
 * ```ts ignore
 * const routes = await conn.dump(routeDumpRequest({ family: "inet" }), decodeRouteNumbers, "floor");
 * ```
 */
export function decodeRouteNumbers(m: MessageView): RouteNumbers | undefined {
  if (m.type !== RTM_NEWROUTE) return undefined;
  const b = m.bytes, v = m.view, at = m.offset + 16;
  const r: RouteNumbers = {
    family: b[at],
    dstLen: b[at + 1],
    srcLen: b[at + 2],
    tos: b[at + 3],
    table: b[at + 4],
    protocol: b[at + 5],
    scope: b[at + 6],
    type: b[at + 7],
    flags: v.getUint32(at + 8, true),
    dst: 0,
    gateway: 0,
    oif: 0,
  };
  const end = m.offset + m.length;
  for (let a = at + 12; a + 4 <= end;) {
    const len = v.getUint16(a, true), type = v.getUint16(a + 2, true) & 0x3fff;
    if (len < 4) break;
    if (type === RTA_DST) r.dst = v.getUint32(a + 4);
    else if (type === RTA_GATEWAY) r.gateway = v.getUint32(a + 4);
    else if (type === RTA_OIF) r.oif = v.getUint32(a + 4, true);
    else if (type === RTA_TABLE) r.table = v.getUint32(a + 4, true);
    a += (len + 3) & ~3;
  }
  return r;
}
