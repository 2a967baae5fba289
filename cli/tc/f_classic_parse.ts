/**
 * The words of the filters fw, route, matchall, tcindex, rsvp and rsvp6 (as
 * f_fw.c, f_route.c, f_matchall.c, f_tcindex.c, f_rsvp.c read them), into
 * the library's typed filter options.
 *
 * @module
 */
import { parseActionsOrFail } from "./action_parse.ts";
import { filterPolice } from "./m_generic.ts";
import { cUint, illegal, KindWordError, whatIs, type Words } from "./filter_args.ts";

/** The filters that take no old-style policer: tc asks what `police` is (u32 reads its own). */
const UNPOLICED = new Set(["matchall"]);

type Opts = Record<string, unknown>;

/**
 * The words every classic filter shares: `classid|flowid C`, `action …`,
 * `police …` (an old-style policer, TCA_*_POLICE; not in matchall), `help`.
 * True when the word was one.
 */
export function commonWord(w: Words, o: Opts): boolean {
  if (w.abbrev("classid") || w.is("flowid")) {
    o.classid = w.value();
    w.advance();
  } else if (w.abbrev("action")) {
    o.actions = [...(o.actions as unknown[] ?? []), ...parseActionsOrFail(w, 1)];
  } else if (w.abbrev("police")) {
    if (UNPOLICED.has(o.kind as string)) throw whatIs(w);
    o.police = filterPolice(w); // an old-style policer: its words end at the first it does not take
  } else if (w.is("help")) throw new KindWordError("");
  else return false;
  return true;
}

/** fw: `[classid C] [indev DEV] [action …]` (the mark and mask are the handle). */
export function parseFw(w: Words): Opts {
  const o: Opts = { kind: "fw" };
  while (w.more) {
    if (commonWord(w, o)) continue;
    if (w.is("indev")) o.indev = w.value();
    else throw whatIs(w);
    w.advance();
  }
  return o;
}

/** route: `[to REALM] [from REALM | fromif DEV] [order N] [classid C] [action …]`. */
export function parseRoute(w: Words): Opts {
  const o: Opts = { kind: "route" };
  while (w.more) {
    if (commonWord(w, o)) continue;
    if (w.abbrev("to")) {
      const n = cUint(w.value(), 0, 0xff);
      if (n === undefined) throw illegal("to");
      o.to = n;
    } else if (w.abbrev("from")) {
      const n = cUint(w.value(), 0, 0xff);
      if (n === undefined) throw illegal("from");
      o.from = n;
    } else if (w.abbrev("fromif")) o.fromif = w.value();
    else if (w.abbrev("order")) {
      const n = cUint(w.value(), 0);
      if (n === undefined) throw illegal("order");
      o.order = n;
    } else throw whatIs(w);
    w.advance();
  }
  return o;
}

/**
 * The handle tc gives a route filter from its realms, device and order
 * (f_route.c), once `fromif` is an index.
 *
 * @example
 * ```ts
 * import { routeFilterHandle } from "./f_classic_parse.ts";
 * routeFilterHandle({ to: 10 }).toString(16); // "ffff000a"
 * ```
 */
export function routeFilterHandle(o: { to?: number; from?: number; fromif?: number; order?: number }): number {
  let fh = 0xffff8000;
  if (o.to !== undefined) fh = ((fh & ~0x80ff) | o.to) >>> 0;
  if (o.from !== undefined) fh = ((fh & 0xffff) | (o.from << 16)) >>> 0;
  if (o.fromif !== undefined) fh = ((fh & 0xffff) | ((0x8000 | o.fromif) << 16)) >>> 0;
  if (o.order) fh = ((fh & ~0x7f00) | ((o.order << 8) & 0x7f00)) >>> 0;
  return fh;
}

/** matchall: `[classid C] [skip_hw|skip_sw] [action …]`. */
export function parseMatchall(w: Words): Opts {
  const o: Opts = { kind: "matchall" };
  while (w.more) {
    if (commonWord(w, o)) continue;
    if (w.is("skip_hw")) o.skipHw = true;
    else if (w.is("skip_sw")) o.skipSw = true;
    else throw whatIs(w);
    w.advance();
  }
  return o;
}

/** tcindex: `[hash N] [mask M] [shift S] [pass_on | fall_through] [classid C] [action …]`. */
export function parseTcindex(w: Words): Opts {
  const o: Opts = { kind: "tcindex" };
  const num = (key: string, max: number) => {
    const n = cUint(w.value(), 0, max);
    if (n === undefined) throw illegal(key);
    o[key] = n;
  };
  while (w.more) {
    if (commonWord(w, o)) continue;
    if (w.abbrev("hash")) num("hash", 0xffffffff);
    else if (w.abbrev("mask")) num("mask", 0xffff);
    else if (w.abbrev("shift")) num("shift", 0xffffffff);
    else if (w.abbrev("fall_through")) o.fallThrough = true;
    else if (w.abbrev("pass_on")) o.fallThrough = false;
    else throw new KindWordError(""); // tcindex prints its usage alone
    w.advance();
  }
  return o;
}

/** A GPI after an address (`spi/ah N`, `spi/esp N`, `u32|u16|u8 V mask M at O`, `flowlabel V`). */
function gpi(w: Words): Opts | undefined {
  const word = w.word;
  if (word === "spi/ah" || word === "gpi/ah" || word === "spi/esp" || word === "gpi/esp") {
    const spi = cUint(w.value(), 0);
    if (spi === undefined) return undefined;
    w.advance();
    return { type: word.endsWith("ah") ? "ah" : "esp", spi };
  }
  if (word === "u32" || word === "u16" || word === "u8") {
    const g: Opts = { type: word };
    g.value = cUint(w.value(), 0);
    if (w.value() !== "mask") return undefined;
    g.mask = cUint(w.value(), 16);
    if (w.value() !== "at") return undefined;
    g.at = cUint(w.value(), 0);
    w.advance();
    return g;
  }
  if (word === "flowlabel") {
    const v = cUint(w.value(), 0);
    w.advance();
    return { type: "flowlabel", value: v };
  }
  return undefined;
}

/** rsvp / rsvp6: `session DST[/PORT] [GPI] [sender SRC[/PORT] [GPI]] [ipproto P] [tunnelid N | tunnel N skip M] …`. */
export function parseRsvp(w: Words, kind: string): Opts {
  const o: Opts = { kind };
  while (w.more) {
    if (commonWord(w, o)) continue;
    if (w.abbrev("session") || w.abbrev("sender") || w.abbrev("flowspec")) {
      const session = w.abbrev("session");
      const addr = w.value();
      o[session ? "session" : "sender"] = addr;
      w.advance();
      if (!addr.includes("/") && w.more) {
        const at = w.i;
        const g = gpi(w);
        if (g !== undefined) o[session ? "sessionGpi" : "senderGpi"] = g;
        else w.i = at;
      }
      continue;
    } else if ("ipproto".startsWith(w.word!)) {
      const v = w.value();
      o.ipproto = /^[0-9]+$/.test(v) ? Number(v) : v;
    } else if (w.is("tunnelid")) {
      const n = cUint(w.value(), 0);
      if (n === undefined) throw illegal("tunnelid");
      o.tunnelid = n;
    } else if (w.is("tunnel")) {
      const id = cUint(w.value(), 0);
      if (w.value() === "skip") w.value();
      const skip = cUint(w.word, 0);
      if (id === undefined || skip === undefined) throw illegal("tunnel");
      o.tunnel = { id, skip };
    } else throw whatIs(w);
    w.advance();
  }
  return o;
}
