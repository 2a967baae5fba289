/**
 * Route requests that differ from the previous one only in their destination
 * address, written by copying the previous request and putting the new
 * address into it.
 *
 * A batch of 100,000 routes is typically one route repeated with another
 * destination each time. Encoding each through the generic encoder costs
 * several objects and dozens of calls per route, and in a process that lives
 * for one batch most of that code never leaves V8's interpreter. So the first
 * route of a run is encoded the usual way ({@linkcode writeRouteRequest}) and
 * kept as a template; a following route whose options are the same values
 * except `dst`, whose destination is the same family and prefix length, with
 * the same operation and device, is that template with its RTA_DST payload
 * replaced. Only the address bytes depend on `dst` once its family and length
 * are fixed, so the bytes are exactly those the encoder would write. Anything
 * else (or anything unusual about the new `dst`) goes through the encoder,
 * which also raises its errors.
 *
 * @module
 */
import { NLA_HDRLEN, NLA_TYPE_MASK, NLMSG_HDRLEN } from "../core/header.ts";
import type { MessageWriter } from "../core/writer.ts";
import { AF_INET, AF_INET6, parseIPv4Into, parseIPv6Into } from "../util/addr.ts";
import { type RouteOp, type RouteOptions, writeRouteRequest } from "./route.ts";
import { ROUTE_ATTRS, RTMSG } from "./route_attrs.ts";

const RTA_DST = ROUTE_ATTRS.field("dst").id;
/** Where the attributes of a route request start. */
const ATTRS_AT = NLMSG_HDRLEN + RTMSG.size;
/** rtm_family and rtm_dst_len, within the message. */
const FAMILY_AT = NLMSG_HDRLEN + RTMSG.fields.find((f) => f.name === "family")!.offset;
const DST_LEN_AT = NLMSG_HDRLEN + RTMSG.fields.find((f) => f.name === "dstLen")!.offset;

/**
 * Writes route requests, repeating the previous one when only its
 * destination differs (see the module notes). One per batch send: it keeps
 * the last request written.
 *
 * @example
 * ```ts
 * import { MessageWriter } from "../core/writer.ts";
 * import { RouteRepeater } from "./route_repeat.ts";
 * const w = new MessageWriter();
 * const r = new RouteRepeater();
 * r.write(w, "add", { dst: "10.0.0.1/32", gateway: "10.9.0.1" }, 2);
 * r.write(w, "add", { dst: "10.0.0.2/32", gateway: "10.9.0.1" }, 2); // copied, with 10.0.0.2 put in
 * ```
 */
export class RouteRepeater {
  #options: RouteOptions | undefined;
  #op: RouteOp | undefined;
  #oif: number | undefined;
  /** The last request encoded by the encoder, and where its RTA_DST payload is. */
  #template = new Uint8Array(0);
  #dstAt = 0;
  #family = 0;
  #dstLen = 0;

  /** Writes the request for `op` on `o`, `oif` its device's index, as {@linkcode writeRouteRequest} would. */
  write(w: MessageWriter, op: RouteOp, o: RouteOptions, oif: number | undefined): void {
    if (op === this.#op && oif === this.#oif && this.#options !== undefined && this.#repeat(w, o)) return;
    this.#options = undefined;
    const start = w.length;
    writeRouteRequest(w, op, o, { oif });
    this.#remember(w, start, op, o, oif);
  }

  /** Writes `o` as the template with another destination, if it is one; false when it is not. */
  #repeat(w: MessageWriter, o: RouteOptions): boolean {
    if (!sameButDst(this.#options!, o)) return false;
    const dst = o.dst;
    if (typeof dst !== "string") return false;
    const slash = dst.indexOf("/");
    const max = this.#family === AF_INET ? 32 : 128;
    let len = max;
    if (slash >= 0) {
      // As parsePrefix reads it: one to three digits.
      const digits = dst.length - slash - 1;
      if (digits < 1 || digits > 3) return false;
      len = 0;
      for (let i = slash + 1; i < dst.length; i++) {
        const c = dst.charCodeAt(i) - 48;
        if (c < 0 || c > 9) return false;
        len = len * 10 + c;
      }
    }
    if (len !== this.#dstLen) return false;
    const address = slash < 0 ? dst : dst.slice(0, slash);
    let size = 4;
    if (this.#family === AF_INET) {
      if (!parseIPv4Into(address, SCRATCH, 0)) return false;
    } else {
      // parsePrefix takes whatever reads as IPv4 as IPv4.
      if (parseIPv4Into(address, SCRATCH, 0) || !parseIPv6Into(address, SCRATCH, 0)) return false;
      size = 16;
    }
    w.align();
    const at = w.length + this.#dstAt;
    w.raw(this.#template);
    const b = w.buffer;
    for (let i = 0; i < size; i++) b[at + i] = SCRATCH[i];
    return true;
  }

  /** Keeps the request just written at `start` as the template, when it has a destination to replace. */
  #remember(w: MessageWriter, start: number, op: RouteOp, o: RouteOptions, oif: number | undefined): void {
    const b = w.buffer;
    const v = w.view;
    const end = w.length;
    const family = b[start + FAMILY_AT];
    if (typeof o.dst !== "string" || (family !== AF_INET && family !== AF_INET6)) return;
    if (Object.getPrototypeOf(o) !== Object.prototype) return; // see sameButDst
    const size = family === AF_INET ? 4 : 16;
    for (let at = start + ATTRS_AT; at + NLA_HDRLEN <= end;) {
      const len = v.getUint16(at, true);
      if (len < NLA_HDRLEN) return;
      if ((v.getUint16(at + 2, true) & NLA_TYPE_MASK) === RTA_DST) {
        if (len !== NLA_HDRLEN + size) return;
        this.#template = b.slice(start, end);
        this.#dstAt = at + NLA_HDRLEN - start;
        this.#family = family;
        this.#dstLen = b[start + DST_LEN_AT];
        this.#options = o;
        this.#op = op;
        this.#oif = oif;
        return;
      }
      at += (len + 3) & ~3;
    }
  }
}

const SCRATCH = new Uint8Array(16);

/**
 * Whether two route options hold the same values, `dst` aside (a plain
 * object's own properties, compared with `===`: the same nested object is the
 * same bytes).
 */
function sameButDst(a: RouteOptions, b: RouteOptions): boolean {
  // A class's getters are not own enumerable properties: only plain objects are compared.
  if (Object.getPrototypeOf(b) !== Object.prototype) return false;
  const x = a as unknown as Record<string, unknown>, y = b as unknown as Record<string, unknown>;
  for (const k in x) if (x[k] !== y[k] && k !== "dst") return false;
  for (const k in y) if (x[k] !== y[k] && k !== "dst") return false;
  return true;
}
