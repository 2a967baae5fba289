/**
 * The u32 filter's words (`match SELECTOR…`, `offset …`, `hashkey …`,
 * `classid`, `divisor`, `link`, `ht`, `sample`, `indev`, `action …`,
 * `skip_hw|skip_sw`), as f_u32.c reads them, into the library's typed u32
 * options (matches stay typed: `{ type: "ip", field: "src", value: … }`).
 *
 * @module
 */
import { UsageError } from "../common/args.ts";
import { AF_INET, AF_INET6, prefixText, readPrefix } from "../common/inet.ts";
import { parseActionsOrFail } from "./action_parse.ts";
import { filterPolice } from "./m_generic.ts";
import { cInt, cUint, illegal, KindWordError, whatIs, type Words } from "./filter_args.ts";

type Opts = Record<string, unknown>;

/** Thrown inside a selector: the caller reports `Illegal "match"` (or "sample"). */
class BadSelector extends Error {}

/** `[at [nexthdr+]OFF]` after a key, into `m`. */
function at(w: Words, m: Opts): void {
  if (!w.is("at")) return;
  let v = w.value();
  if (v.startsWith("nexthdr+")) {
    m.nexthdr = true;
    v = v.slice(8);
  }
  const off = cInt(v, 0);
  if (off === undefined) throw new BadSelector();
  m.at = off;
  w.advance();
}

/** `VALUE MASK [at …]`: the value in base 0, the mask in hex, as parse_u32/u16/u8 read them. */
function valueMask(w: Words, m: Opts, max: number): Opts {
  const value = cUint(w.value(), 0, max);
  const mask = cUint(w.value(), 16, max);
  if (value === undefined || mask === undefined) throw new BadSelector();
  m.value = value;
  m.mask = mask;
  w.advance();
  at(w, m);
  return m;
}

/**
 * An address and `[at …]`: an IP `ADDR[/LEN]` read as get_prefix_1 reads it
 * (a bad one is an illegal selector); a MAC address (no `family`) as given.
 */
function address(w: Words, m: Opts, family?: number): Opts {
  const v = w.value();
  if (family === undefined) m.value = v;
  else {
    const prefix = readPrefix(v, family);
    if (prefix === undefined) throw new BadSelector();
    m.value = prefixText(prefix, true);
  }
  w.advance();
  at(w, m);
  return m;
}

const IP_U8: Record<string, number> = { tos: 0xff, ihl: 0xff, protocol: 0xff, icmp_type: 0xff, icmp_code: 0xff };

function ipSelector(w: Words): Opts {
  const field = w.value();
  const m: Opts = { type: "ip", field };
  if (field === "src" || field === "dst") return address(w, m, AF_INET);
  if (field === "nofrag" || field === "firstfrag" || field === "df" || field === "mf") {
    w.advance();
    return m;
  }
  if ("dsfield".startsWith(field) && field !== "") m.field = "dsfield";
  else if ("precedence".startsWith(field) && field !== "") m.field = "precedence";
  else if (field === "dport" || field === "sport") return valueMask(w, m, 0xffff);
  else if (IP_U8[field] === undefined) throw new BadSelector();
  return valueMask(w, m, 0xff);
}

const IP6_FIELDS: Record<string, number> = {
  priority: 0xff,
  protocol: 0xff,
  flowlabel: 0xffffffff,
  dport: 0xffff,
  sport: 0xffff,
  icmp_type: 0xff,
  icmp_code: 0xff,
};

function ip6Selector(w: Words): Opts {
  const field = w.value();
  const m: Opts = { type: "ip6", field };
  if (field === "src" || field === "dst") return address(w, m, AF_INET6);
  const max = IP6_FIELDS[field];
  if (max === undefined) throw new BadSelector();
  return valueMask(w, m, max);
}

/** One selector (the words after `match` or `sample`), the cursor on its type. */
function selector(w: Words): Opts {
  const type = w.word;
  switch (type) {
    case "u32":
      return valueMask(w, { type }, 0xffffffff);
    case "u16":
      return valueMask(w, { type }, 0xffff);
    case "u8":
      return valueMask(w, { type }, 0xff);
    case "ip":
      return ipSelector(w);
    case "ip6":
      return ip6Selector(w);
    case "udp":
    case "tcp": {
      const field = w.value();
      if (field !== "src" && field !== "dst") throw new BadSelector();
      return valueMask(w, { type, field }, 0xffff);
    }
    case "icmp": {
      const field = w.value();
      if (field !== "type" && field !== "code") throw new BadSelector();
      return valueMask(w, { type, field }, 0xff);
    }
    case "mark": {
      const value = cUint(w.value(), 0);
      const mask = cUint(w.value(), 0);
      if (value === undefined || mask === undefined) throw new BadSelector();
      w.advance();
      return { type, value, mask };
    }
    case "ether": {
      const field = w.value();
      if (field !== "src" && field !== "dst") throw new BadSelector();
      return address(w, { type, field });
    }
  }
  throw new BadSelector();
}

function guarded<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    // A selector cut short is a bad selector too (its parsers check the count, not NEXT_ARG).
    if (e instanceof BadSelector || (e instanceof UsageError && e.message.startsWith("Command line is not complete"))) {
      throw illegal(what);
    }
    throw e;
  }
}

function offsetOpts(w: Words): Opts {
  const o: Opts = {};
  while (w.more) {
    if (w.abbrev("plus")) {
      const n = cInt(w.value(), 0);
      if (n === undefined) throw illegal("offset");
      o.plus = n;
    } else if (w.abbrev("at")) {
      const n = cInt(w.value(), 0);
      if (n === undefined) throw illegal("offset");
      o.at = n;
    } else if (w.abbrev("mask")) {
      const n = cUint(w.value(), 16, 0xffff);
      if (n === undefined) throw illegal("offset");
      o.mask = n;
    } else if (w.abbrev("shift")) {
      const n = cInt(w.value(), 0);
      if (n === undefined) throw illegal("offset");
      o.shift = n;
    } else if (w.abbrev("eat")) o.eat = true;
    else break;
    w.advance();
  }
  return o;
}

function hashkeyOpts(w: Words): Opts {
  const o: Opts = {};
  while (w.more) {
    if (w.abbrev("mask")) {
      const n = cUint(w.value(), 16);
      if (n === undefined) throw illegal("hashkey");
      o.mask = n;
    } else if (w.abbrev("at")) {
      const n = cInt(w.value(), 0);
      if (n === undefined) throw illegal("hashkey");
      o.at = n;
    } else break;
    w.advance();
  }
  return o;
}

/**
 * Parses u32's words (the cursor after `u32`) into u32 options.
 *
 * @example
 * ```ts ignore
 * parseU32(new Words(["match", "ip", "src", "10.0.0.0/8", "classid", "1:10"]));
 * ```
 */
export function parseU32(w: Words): Opts {
  const o: Opts = { kind: "u32" };
  const match: Opts[] = [];
  while (w.more) {
    if (w.abbrev("match")) {
      w.value();
      match.push(guarded("match", () => selector(w)));
      continue;
    } else if (w.abbrev("offset")) {
      w.value();
      o.offset = offsetOpts(w);
      continue;
    } else if (w.abbrev("hashkey")) {
      w.value();
      o.hashkey = hashkeyOpts(w);
      continue;
    } else if (w.abbrev("classid") || w.is("flowid")) o.classid = w.value();
    else if (w.abbrev("divisor")) {
      const n = cUint(w.value(), 0);
      if (n === undefined) throw illegal("divisor");
      o.divisor = n;
    } else if (w.abbrev("order")) {
      // Merged into the handle's node part once the header's handle is known (resolveFilterOptions).
      const n = cUint(w.value(), 0);
      if (n === undefined) throw illegal("order");
      o.order = n;
    } else if (w.is("link")) o.link = w.value();
    else if (w.is("ht")) o.ht = w.value();
    else if (w.is("sample")) {
      w.value();
      const s: Opts = { match: guarded("sample", () => selector(w)) };
      if (w.is("divisor")) {
        const n = cUint(w.value(), 0);
        if (n === undefined) throw new UsageError('Illegal sample "divisor"', 1);
        s.divisor = n;
        w.value();
      }
      o.sample = s;
      continue;
    } else if (w.is("indev")) o.indev = w.value();
    else if (w.abbrev("action")) {
      o.actions = [...(o.actions as unknown[] ?? []), ...parseActionsOrFail(w, 1)];
      continue;
    } else if (w.abbrev("police")) {
      o.police = filterPolice(w); // an old-style policer: its words end at the first it does not take
      continue;
    } else if (w.is("skip_hw")) o.skipHw = true;
    else if (w.is("skip_sw")) o.skipSw = true;
    else if (w.is("help")) throw new KindWordError("");
    else throw whatIs(w);
    w.advance();
  }
  if (match.length) o.match = match;
  return o;
}
