/**
 * The pedit action's words (`pedit [ex] munge offset OFF u32|u16|u8 [at AT
 * OFFMASK SHIFT] CMD … | munge HEADER FIELD CMD … [retain MASK]`), as
 * m_pedit.c and p_*.c read them, into the library's typed keys.
 *
 * @module
 */
import { matches, UsageError } from "../common/args.ts";
import type { ActionParser } from "./action_parse.ts";
import { cInt, cUint, type Words } from "./filter_args.ts";
import { controlAndIndex } from "./m_generic.ts";

type Opts = Record<string, unknown>;

const HEADERS = ["eth", "ip", "ip6", "tcp", "udp", "icmp"];
const CMDS = ["invert", "set", "add", "decrement", "preserve", "clear"];

function badConstruct(word: string | undefined): UsageError {
  return new UsageError(`Bad pedit construct (${word})`, 1);
}

/** A value as tc reads it: a C number when it is one, else the text (an address). */
function value(v: string): number | string {
  return cUint(v, 0) ?? v;
}

/** `CMD [VALUE] [retain MASK]` into `key`. */
function parseCmd(w: Words, key: Opts): void {
  const cmd = CMDS.find((c) => w.abbrev(c));
  if (cmd === undefined) throw badConstruct(w.word);
  key.cmd = cmd;
  if (cmd === "set" || cmd === "add") key.value = value(w.value());
  w.advance();
  if (w.more && w.abbrev("retain")) {
    const r = cUint(w.value(), 0);
    if (r === undefined) throw badConstruct(w.word);
    key.retain = r;
    w.advance();
  }
}

function parseMunge(w: Words): Opts {
  const key: Opts = {};
  if (w.abbrev("offset")) {
    const off = cInt(w.value(), 0);
    if (off === undefined) throw badConstruct(w.word);
    key.offset = off;
    const word = w.value();
    const size = ["u32", "u16", "u8"].find((s) => matches(word, s));
    if (size === undefined) throw badConstruct(w.word);
    key.size = size;
    w.value();
    if (w.abbrev("at")) {
      key.at = cUint(w.value(), 0);
      key.offmask = cUint(w.value(), 16);
      key.shift = cUint(w.value(), 0);
      if (key.at === undefined || key.offmask === undefined || key.shift === undefined) throw badConstruct(w.word);
      w.value();
    }
    parseCmd(w, key);
    return key;
  }
  const header = w.word!;
  if (!HEADERS.includes(header)) throw badConstruct(header);
  key.header = header;
  let field = w.value();
  if (matches(field, "dsfield")) field = "dsfield";
  else if (matches(field, "precedence")) field = "precedence";
  key.field = field;
  w.value();
  parseCmd(w, key);
  return key;
}

const pedit: ActionParser = (w) => {
  const o: Opts = {};
  const keys: Opts[] = [];
  let ok = 0;
  while (w.more) {
    if (w.abbrev("pedit")) {
      w.value();
      ok++;
      if (w.abbrev("ex")) {
        if (ok > 1) throw new UsageError("'ex' must be before first 'munge'", 1);
        o.ex = true;
        w.value();
      }
    } else if (w.abbrev("munge")) {
      if (!ok) throw badConstruct(w.word);
      w.value();
      keys.push(parseMunge(w));
      ok++;
    } else break;
  }
  o.keys = keys;
  controlAndIndex(w, o);
  return o;
};

/** The pedit parser. */
export const PEDIT_ACTIONS: Readonly<Record<string, ActionParser>> = { pedit };
