/**
 * Decoding NLMSG_ERROR and NLMSG_DONE payloads, with the kernel's extended ack
 * (message, offending attribute offset, missing attribute, cookie, policy).
 *
 * @module
 */
import { type ExtendedAck, NetlinkError } from "./errors.ts";
import { NLM_F, NLMSG_HDRLEN, NLMSGERR_ATTR } from "./header.ts";

const textDecoder = new TextDecoder();

/**
 * Reads the extended-ack TLVs in [off, end). `request` (the bytes we sent) lets
 * the offending offset be resolved to an attribute.
 *
 * @example
 * ```ts ignore
 * import { parseExtAck } from "./ack.ts";
 * const ack = parseExtAck(bytes, view, off, end, request);
 * ack.message; // "Invalid prefix for given prefix length"
 * ```
 */
export function parseExtAck(
  b: Uint8Array,
  v: DataView,
  off: number,
  end: number,
  request?: Uint8Array,
): ExtendedAck {
  const ack: ExtendedAck = {};
  while (off + 4 <= end) {
    const len = v.getUint16(off, true);
    if (len < 4 || off + len > end) break;
    const type = v.getUint16(off + 2, true) & 0x3fff;
    const p = off + 4;
    const plen = len - 4;
    switch (type) {
      case NLMSGERR_ATTR.MSG: {
        let e = p + plen;
        while (e > p && b[e - 1] === 0) e--;
        ack.message = textDecoder.decode(b.subarray(p, e));
        break;
      }
      case NLMSGERR_ATTR.OFFS:
        if (plen >= 4) ack.offset = v.getUint32(p, true);
        break;
      case NLMSGERR_ATTR.COOKIE:
        ack.cookie = b.slice(p, p + plen);
        break;
      case NLMSGERR_ATTR.POLICY:
        ack.policy = b.slice(p, p + plen);
        break;
      case NLMSGERR_ATTR.MISS_TYPE:
        if (plen >= 4) ack.missingType = v.getUint32(p, true);
        break;
      case NLMSGERR_ATTR.MISS_NEST:
        if (plen >= 4) ack.missingNest = v.getUint32(p, true);
        break;
    }
    off += (len + 3) & ~3;
  }
  if (ack.offset !== undefined && request && ack.offset + 4 <= request.length) {
    const rv = new DataView(request.buffer, request.byteOffset, request.byteLength);
    ack.attribute = {
      type: rv.getUint16(ack.offset + 2, true),
      offset: ack.offset,
      length: rv.getUint16(ack.offset, true),
    };
  }
  return ack;
}

/**
 * Turns an NLMSG_ERROR message at `off` into an errno (0 = ack) and, for a
 * failure, a {@linkcode NetlinkError}; an ack that carries an extended-ack
 * message gives it as `warning` (the kernel's warnings on success, such as
 * sch_htb's "quantum of class 10005 is small").
 *
 * @example
 * ```ts ignore
 * import { parseError } from "./ack.ts";
 * const { errno, error } = parseError(bytes, view, off, len, flags, request, "addRoute");
 * ```
 */
export function parseError(
  b: Uint8Array,
  v: DataView,
  off: number,
  len: number,
  flags: number,
  request: Uint8Array | undefined,
  operation: string,
): { errno: number; error?: NetlinkError; warning?: string } {
  if (len < NLMSG_HDRLEN + 4) {
    return { errno: 71, error: new NetlinkError(71, `${operation}: truncated NLMSG_ERROR`, { operation }) };
  }
  const code = v.getInt32(off + NLMSG_HDRLEN, true);
  if (code === 0 && !(flags & NLM_F.ACK_TLVS)) return { errno: 0 };
  let tlvs = off + NLMSG_HDRLEN + 4;
  if (tlvs + NLMSG_HDRLEN <= off + len) {
    const origLen = v.getUint32(tlvs, true);
    tlvs += flags & NLM_F.CAPPED ? NLMSG_HDRLEN : (origLen + 3) & ~3;
  }
  const extAck = flags & NLM_F.ACK_TLVS ? parseExtAck(b, v, tlvs, off + len, request) : undefined;
  if (code === 0) return extAck?.message ? { errno: 0, warning: extAck.message } : { errno: 0 };
  return { errno: -code, error: NetlinkError.fromErrno(-code, { operation, extAck }) };
}

/**
 * Reads NLMSG_DONE: its optional error code and extended ack.
 *
 * @example
 * ```ts ignore
 * import { parseDone } from "./ack.ts";
 * const err = parseDone(bytes, view, off, len, flags, request, "getRoutes");
 * ```
 */
export function parseDone(
  b: Uint8Array,
  v: DataView,
  off: number,
  len: number,
  flags: number,
  request: Uint8Array | undefined,
  operation: string,
): NetlinkError | undefined {
  if (len < NLMSG_HDRLEN + 4) return undefined;
  const code = v.getInt32(off + NLMSG_HDRLEN, true);
  if (code >= 0) return undefined;
  const extAck = flags & NLM_F.ACK_TLVS ? parseExtAck(b, v, off + NLMSG_HDRLEN + 4, off + len, request) : undefined;
  return NetlinkError.fromErrno(-code, { operation, extAck });
}
