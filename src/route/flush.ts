/**
 * Flushing as iproute2 does it: dump, send every matching object back as a
 * delete, pipelined, and repeat while something went away. Shared by routes,
 * addresses and the other flushes, with the prefix tests their selectors use.
 *
 * @module
 */
import type { DumpOptions, NetlinkConnection } from "../core/connection.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import type { MessageView } from "../core/message.ts";
import { parseIP, parsePrefix } from "../util/addr.ts";

/** A prefix as bits, for containment tests. */
export interface PrefixBits {
  bytes: Uint8Array;
  length: number;
}

/**
 * A prefix as bits.
 *
 * @example
 * ```ts
 * import { prefixBits } from "./flush.ts";
 * prefixBits("10.0.0.0/8", "to").length; // 8
 * ```
 */
export function prefixBits(text: string, field: string, family?: number): PrefixBits {
  const p = parsePrefix(text, field, family);
  return { bytes: parseIP(p.address)!.bytes, length: p.length };
}

/**
 * Whether `addr` (with its prefix length) lies inside `p`.
 *
 * @example
 * ```ts
 * import { inside, prefixBits } from "./flush.ts";
 * inside(prefixBits("10.0.0.0/8", "to"), "10.1.0.0", 16); // true
 * ```
 */
export function inside(p: PrefixBits, addr: string | undefined, length: number): boolean {
  if (addr === undefined || length < p.length) return false;
  const b = parseIP(addr.split("/")[0])?.bytes;
  if (b === undefined || b.length !== p.bytes.length) return false;
  const whole = p.length >> 3;
  for (let i = 0; i < whole; i++) if (b[i] !== p.bytes[i]) return false;
  const rest = p.length & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (b[whole] & mask) === (p.bytes[whole] & mask);
}

/**
 * A test for the address-level flush selectors (prefix containment),
 * shared by the route and address flushes.
 *
 * @example
 * ```ts
 * import { prefixTest } from "./flush.ts";
 * prefixTest("10.0.0.0/8", "to")("10.1.2.3", 32); // true
 * ```
 */
export function prefixTest(
  text: string,
  field: string,
  family?: number,
): (addr: string | undefined, len: number) => boolean {
  const p = prefixBits(text, field, family);
  return (addr, len) => inside(p, addr, len);
}

/** Options of {@linkcode flushByEcho}. */
export interface EchoFlushOptions extends DumpOptions {
  /** Errnos that mean "already gone" (e.g. ESRCH for routes), not failures. */
  gone: number[];
  /** At most this many dump-and-delete rounds (default 10; 1 for a single pass). */
  rounds?: number;
  /**
   * Called after each round that deleted something (e.g. to narrow the filter for the next), with the number of
   * deletes that round sent.
   */
  afterRound?: (sent: number) => void;
  /**
   * Which deletes ask for an acknowledgement (`sendBatch`'s `acks`): iproute2
   * asks none for routes, addresses and neighbours, and one of each rule.
   */
  acks: "none" | "each";
}

/**
 * Flushes as iproute2 does: dumps with `request`, turns every message `pick`
 * keeps back into a delete (the same message with type `delType`), sends the
 * deletes pipelined in batches, and repeats while a round removed something
 * (deleting an object can bring others into view, such as promoted secondary
 * addresses). Resolves with what was removed; rejects with the first error
 * other than the object being gone already.
 *
 * @example
 * ```ts ignore
 * const gone = await flushByEcho(conn, request, (m) => decodeRoute(m), RTM.DELROUTE, "flush", { gone: [3] });
 * ```
 */
export async function flushByEcho<T>(
  conn: NetlinkConnection,
  request: Uint8Array,
  pick: (msg: MessageView) => T | undefined,
  delType: number,
  operation: string,
  options: EchoFlushOptions,
): Promise<T[]> {
  const removed: T[] = [];
  const rounds = options.rounds ?? 10;
  for (let round = 0; round < rounds; round++) {
    const victims = await conn.dump(
      request,
      (m) => {
        const item = pick(m);
        if (item === undefined) return undefined;
        const bytes = m.bytes.slice(m.offset, m.offset + ((m.length + 3) & ~3));
        const v = new DataView(bytes.buffer);
        v.setUint16(4, delType, true);
        v.setUint16(6, REQUEST_FLAGS.get, true);
        return { item, bytes };
      },
      operation,
      options,
    );
    if (victims.length === 0) break;
    const all = new Uint8Array(victims.reduce((n, x) => n + x.bytes.length, 0));
    let off = 0;
    for (const x of victims) all.set(x.bytes, off), off += x.bytes.length;
    let progress = false;
    for (const outcome of await conn.sendBatch(all, operation, { acks: options.acks })) {
      if (outcome.ok) {
        removed.push(victims[outcome.index].item);
        progress = true;
      } else if (!options.gone.includes(outcome.error.errno)) throw outcome.error;
    }
    if (!progress) break;
    options.afterRound?.(victims.length);
  }
  return removed;
}
