/**
 * The fast path of `ip -batch` for the lines batches are made of:
 * `route OP A.B.C.D[/LEN] [via E.F.G.H] [dev NAME]` (`via` and `dev` in either
 * order, each at most once, one of them or both), and the same with IPv6
 * addresses. Such a line is read by scanning its character codes, with no
 * word array, no intermediate address objects and no address text built
 * again: an address written the way inet_ntop writes it (a dotted quad
 * without leading zeros, each part ≤ 255; IPv6 in lowercase, without leading
 * zeros, its longest zero run as `::`) is exactly the text the general path
 * would produce from it, so the line's own characters are the library's
 * option. Anything else — another spacing, a tab, a comment, a
 * quote, a continuation, an abbreviation, another keyword, an address in any
 * other spelling, an unknown device — is not taken here and goes through the
 * general path (batch_input.ts, route_modify.ts), which decides what it means.
 * Device names are looked up one by one as iproute2's ll_name_to_index does
 * (see {@linkcode DeviceNames}), so a file of route lines never needs the
 * link dump, nor the modules that decode links.
 * tests/unit/ip_batch_fastpath_test.ts checks that both paths give the same
 * options and the same request bytes.
 *
 * @module
 */
import type { RouteOptions } from "@nlink/nlink";
import { NetlinkError, ValidationError } from "@nlink/nlink/core";
import { AF_INET, AF_INET6, AF_UNSPEC } from "../common/inet.ts";
import { readCanonicalIPv6 } from "../common/ipv6_text.ts";

/** The Batch calls a route line maps to. */
export type RouteCall = "addRoute" | "changeRoute" | "replaceRoute" | "prependRoute" | "appendRoute" | "delRoute";

/** A line the fast path read: the library call and its options. */
export interface FastRoute {
  /** The Batch method. */
  call: RouteCall;
  /** Its argument, the same object (key for key) as the general path builds. */
  o: RouteOptions;
}

const SPACE = 32, SLASH = 47, DOT = 46, ZERO = 48, NINE = 57;

/** Character codes allowed in a device name here: letters, digits, `-`, `_`, `.`, `@`, `:`. */
const NAME_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9_.@:-]/.test(ch)) NAME_CHAR[c] = 1;
}

/**
 * Device names → indices for the fast path, looked up through the kernel
 * (RTM_GETLINK by name, which finds alternative names too) the first time
 * each is seen and remembered until {@linkcode DeviceNames.clear} (after a
 * line that may have added, deleted or renamed a link).
 *
 * @example
 * ```ts ignore
 * const names = new DeviceNames((name) => conn.resolveDev(name));
 * await names.learn("p0");
 * names.get("p0"); // 2
 * ```
 */
export class DeviceNames {
  #known = new Map<string, number>();
  /** Bumped by clear(), so that a parser drops what it remembered. */
  generation = 0;

  /** `resolve` gives a name's index, or rejects (not found: the general path reports the line). */
  constructor(readonly resolve: (name: string) => Promise<number>) {}

  /** The index; 0 when there is no such device; undefined when not looked up yet. */
  get(name: string): number | undefined {
    return this.#known.get(name);
  }

  /** Looks a name up and remembers the answer (0 when the kernel knows no such device). */
  async learn(name: string): Promise<void> {
    let index = 0;
    try {
      index = await this.resolve(name);
    } catch (e) {
      if (!(e instanceof NetlinkError && e.isNotFound()) && !(e instanceof ValidationError)) throw e;
    }
    this.#known.set(name, index);
  }

  /** Forgets every name. */
  clear(): void {
    this.#known.clear();
    this.generation++;
  }
}

/**
 * Reads the common route lines of a batch (see the module notes); one per
 * batch run, as it remembers the last gateway and device it saw.
 *
 * @example
 * ```ts ignore
 * const fast = new RouteLineParser(ctxFamilyNumber(ctx));
 * let r = fast.parse(text, start, end, names); // undefined: use the general path
 * if (typeof r === "string") await names.learn(r); // then parse the line again
 * ```
 */
export class RouteLineParser {
  readonly #v4: boolean;
  readonly #v6: boolean;
  /** The address just read (IPv6), and room to write it back for the comparison. */
  readonly #bytes = new Uint8Array(16);
  readonly #scratch = new Uint8Array(45);
  // Batches repeat their gateway and device from line to line: the previous
  // ones are kept, compared character by character, and reused.
  #gateway = "";
  #devName = "";
  #devIndex = 0;
  #names: DeviceNames | undefined;
  #generation = -1;
  // Where the last successful scan put things (fields rather than result objects: no allocation per call).
  #pos = 0;

  /** `family` is the context's family (`-4`, `-6`, `-f`): routes of that family (or either, unspecified) are read here. */
  constructor(family: number) {
    this.#v4 = family === AF_UNSPEC || family === AF_INET;
    this.#v6 = family === AF_UNSPEC || family === AF_INET6;
  }

  /**
   * The call and options for `text[start, end)` (one line, without its
   * newline), or undefined when it is not a line this path takes; `names`
   * gives the device's index; a device name it has not looked up yet is
   * returned as a string, to be learnt before the line is parsed again.
   */
  parse(text: string, start: number, end: number, names: DeviceNames): FastRoute | string | undefined {
    if (!(this.#v4 || this.#v6) || end - start < 14) return undefined;
    // "route "
    if (
      text.charCodeAt(start) !== 114 || text.charCodeAt(start + 1) !== 111 || text.charCodeAt(start + 2) !== 117 ||
      text.charCodeAt(start + 3) !== 116 || text.charCodeAt(start + 4) !== 101 || text.charCodeAt(start + 5) !== SPACE
    ) return undefined;
    const call = this.#call(text, start + 6, end);
    if (call === undefined) return undefined;
    // The destination: a canonical address, then an optional canonical /LEN.
    const dstStart = this.#pos;
    const v6 = !(this.#v4 && this.#quad(text, dstStart, end));
    if (v6 && !(this.#v6 && this.#ipv6(text, dstStart, end))) return undefined;
    let p = this.#pos;
    let withLen = false;
    if (p < end && text.charCodeAt(p) === SLASH) {
      if (!this.#number(text, p + 1, end, v6 ? 128 : 32)) return undefined;
      p = this.#pos;
      withLen = true;
    }
    const dstEnd = p;
    let gwStart = -1, gwEnd = -1, devStart = -1, devEnd = -1;
    while (p < end) {
      if (text.charCodeAt(p) !== SPACE || p + 4 >= end) return undefined;
      const k0 = text.charCodeAt(p + 1), k1 = text.charCodeAt(p + 2), k2 = text.charCodeAt(p + 3);
      if (text.charCodeAt(p + 4) !== SPACE) return undefined;
      p += 5;
      if (k0 === 118 && k1 === 105 && k2 === 97) { // "via"
        if (gwStart >= 0 || !(v6 ? this.#ipv6(text, p, end) : this.#quad(text, p, end))) return undefined;
        gwStart = p;
        gwEnd = p = this.#pos;
      } else if (k0 === 100 && k1 === 101 && k2 === 118) { // "dev"
        if (devStart >= 0) return undefined;
        devStart = p;
        while (p < end) {
          const c = text.charCodeAt(p);
          if (c === SPACE) break;
          if (c >= 128 || NAME_CHAR[c] === 0) return undefined;
          p++;
        }
        devEnd = p;
        if (devEnd === devStart) return undefined;
      } else return undefined;
    }
    let dev = 0;
    if (devStart >= 0) {
      const d = this.#device(text, devStart, devEnd, names);
      if (d === undefined) return text.slice(devStart, devEnd);
      if (d === 0) return undefined; // the general path reports it
      dev = d;
    }
    const dst = withLen ? text.slice(dstStart, dstEnd) : text.slice(dstStart, dstEnd) + (v6 ? "/128" : "/32");
    const family = v6 ? "inet6" : "inet";
    // The same keys in the same order as routeOptions() builds them.
    let o: RouteOptions;
    if (gwStart >= 0) {
      const gateway = this.#gatewayText(text, gwStart, gwEnd);
      o = devStart >= 0 ? { gateway, dev, dst, family } : { gateway, dst, family };
    } else o = devStart >= 0 ? { dev, dst, family } : { dst, family };
    return { call, o };
  }

  /** The operation word and its space; sets #pos after them. */
  #call(text: string, p: number, end: number): RouteCall | undefined {
    let q = p;
    while (q < end && text.charCodeAt(q) !== SPACE) q++;
    if (q >= end) return undefined;
    this.#pos = q + 1;
    switch (q - p) {
      case 3:
        if (text.startsWith("add", p)) return "addRoute";
        if (text.startsWith("del", p)) return "delRoute";
        return undefined;
      case 6:
        if (text.startsWith("change", p)) return "changeRoute";
        if (text.startsWith("delete", p)) return "delRoute";
        if (text.startsWith("append", p)) return "appendRoute";
        return undefined;
      case 7:
        if (text.startsWith("replace", p)) return "replaceRoute";
        if (text.startsWith("prepend", p)) return "prependRoute";
        return undefined;
    }
    return undefined;
  }

  /** A canonical decimal number ≤ max at p (no sign, no leading zero); sets #pos after it. */
  #number(text: string, p: number, end: number, max: number): boolean {
    if (p >= end) return false;
    let c = text.charCodeAt(p);
    if (c < ZERO || c > NINE) return false;
    let v = c - ZERO;
    let q = p + 1;
    if (v !== 0) {
      while (q < end) {
        c = text.charCodeAt(q);
        if (c < ZERO || c > NINE) break;
        v = v * 10 + c - ZERO;
        if (v > max) return false;
        q++;
      }
    }
    if (v > max) return false;
    this.#pos = q;
    return true;
  }

  /** A canonical dotted quad at p, followed by the end, a space or a slash; sets #pos after it. */
  #quad(text: string, p: number, end: number): boolean {
    for (let part = 0; part < 4; part++) {
      if (part > 0) {
        if (p >= end || text.charCodeAt(p) !== DOT) return false;
        p++;
      }
      if (!this.#number(text, p, end, 255)) return false;
      p = this.#pos;
    }
    if (p < end) {
      const c = text.charCodeAt(p);
      if (c !== SPACE && c !== SLASH) return false;
    }
    return true;
  }

  /** A canonical IPv6 address at p, followed by the end, a space or a slash; sets #pos after it. */
  #ipv6(text: string, p: number, end: number): boolean {
    const q = readCanonicalIPv6(text, p, end, this.#bytes, this.#scratch);
    if (q < 0) return false;
    if (q < end) {
      const c = text.charCodeAt(q);
      if (c !== SPACE && c !== SLASH) return false;
    }
    this.#pos = q;
    return true;
  }

  /** The gateway's text, the previous line's string when the characters are the same. */
  #gatewayText(text: string, start: number, end: number): string {
    if (!sameChars(this.#gateway, text, start, end)) this.#gateway = text.slice(start, end);
    return this.#gateway;
  }

  /** The device's index (0: none such; undefined: not looked up yet), remembered for the next line. */
  #device(text: string, start: number, end: number, names: DeviceNames): number | undefined {
    if (names !== this.#names || names.generation !== this.#generation || !sameChars(this.#devName, text, start, end)) {
      const name = text.slice(start, end);
      const index = names.get(name);
      if (index === undefined) return undefined;
      this.#names = names;
      this.#generation = names.generation;
      this.#devName = name;
      this.#devIndex = index;
    }
    return this.#devIndex;
  }
}

/** Whether `s` is `text[start, end)`. */
function sameChars(s: string, text: string, start: number, end: number): boolean {
  if (s.length !== end - start) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}
