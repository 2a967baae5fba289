/**
 * Parsers of the generic action kinds' words: gact, mirred, police, simple,
 * sample, connmark, csum, nat, ctinfo, bpf (as m_gact.c, m_mirred.c, … read
 * them), into the library's typed action options.
 *
 * @module
 */
import { matches, UsageError } from "../common/args.ts";
import { type ActionParser, checkDevice } from "./action_parse.ts";
import { cUint, illegal, parseControl, verdictWord, Words } from "./filter_args.ts";
import { parseBytecode, readBytecodeFile } from "./f_misc_parse.ts";
import { ACTION_USAGE } from "./m_usage.ts";

type Opts = Record<string, unknown>;

/**
 * The common tail of most kinds: `[CONTROL] [index N]`.
 *
 * @example
 * ```ts ignore
 * controlAndIndex(w, o);
 * ```
 */
export function controlAndIndex(w: Words, o: Opts, base: 0 | 10 = 10, what = 'Illegal "index"'): void {
  const c = parseControl(w);
  if (c !== undefined) o.control = c;
  if (w.more && w.abbrev("index")) {
    const v = w.value();
    const n = cUint(v, base);
    if (n === undefined) throw new UsageError(what, 1);
    o.index = n;
    w.advance();
  }
}

/** Reads `index N` at the cursor (the word `index` already seen). */
function indexValue(w: Words, o: Opts): void {
  const v = w.value();
  const n = cUint(v, 10);
  if (n === undefined) throw illegal("index");
  o.index = n;
  w.advance();
}

/** m_gact.c's explain(), which its usage() prints before exiting with 255 (the last newline is the report's). */
const GACT_USAGE = "Usage: ... gact <ACTION> [RAND] [INDEX]\n" +
  "Where: \tACTION := reclassify | drop | continue | pass | pipe |\n" +
  "       \t          goto chain <CHAIN_INDEX> | jump <JUMP_COUNT>\n" +
  "\tRAND := random <RANDTYPE> <ACTION> <VAL>\n" +
  "\tRANDTYPE := netrand | determ\n" +
  "\tVAL : = value not exceeding 10000\n" +
  "\tJUMP_COUNT := Absolute jump from start of action list\n" +
  "\tINDEX := index value used\n";

/** gact's verdict: its error followed by gact's usage, as parse_gact's usage() prints them. */
function gactControl(w: Words): string {
  try {
    return parseControl(w, false)!;
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${e.message}\n${GACT_USAGE}`, 255);
    throw e;
  }
}

/** `help` where parse_gact looks for it (after the verdict, after `random …`): its usage. */
function gactHelp(w: Words): void {
  if (w.more && w.abbrev("help")) throw new UsageError(GACT_USAGE, 255);
}

const gact: ActionParser = (w) => {
  const o: Opts = {};
  if (w.abbrev("gact")) w.value();
  if (w.abbrev("index")) {
    indexValue(w, o);
    return o;
  }
  o.control = gactControl(w);
  if (w.more && w.abbrev("random")) {
    const t = w.value();
    let type: string;
    if (matches(t, "netrand")) type = "netrand";
    else if (matches(t, "determ")) type = "determ";
    else throw new UsageError('Illegal "random type"', 1);
    w.value();
    const control = gactControl(w);
    const v = w.word;
    const value = cUint(v, 10, 0xffff);
    if (value === undefined || value > 10000) throw new UsageError(`Illegal probability val 0x${v}`, 1);
    o.random = { type, control, value };
    w.advance();
  } else gactHelp(w);
  if (w.more && w.abbrev("index")) indexValue(w, o);
  else gactHelp(w);
  return o;
};

const mirred: ActionParser = (w) => {
  const o: Opts = {};
  w.value();
  if (w.more && !w.abbrev("egress") && !w.abbrev("ingress") && !w.abbrev("index")) {
    if (w.abbrev("help")) throw new UsageError(ACTION_USAGE.mirred, 255);
    throw new UsageError(`mirred option not supported ${w.word}`, 1);
  }
  let ok = 0;
  let indexed = false;
  while (w.more) {
    if (w.abbrev("action")) {
      w.value();
      break;
    } else if (o.direction === undefined && w.abbrev("egress")) {
      o.direction = "egress";
      w.value();
      ok++;
      continue;
    } else if (o.direction === undefined && w.abbrev("ingress")) {
      o.direction = "ingress";
      w.value();
      ok++;
      continue;
    } else if (w.abbrev("index")) {
      const n = cUint(w.value(), 10);
      if (n === undefined) throw illegal("index");
      o.index = n;
      indexed = true;
      if (!ok) {
        w.advance();
        break;
      }
    } else if (!ok) {
      console.error(`was expecting egress or ingress (${w.word})`);
      break;
    } else if (o.action === undefined && w.abbrev("mirror")) {
      o.action = "mirror";
      ok++;
    } else if (o.action === undefined && w.abbrev("redirect")) {
      o.action = "redirect";
      ok++;
    } else if (o.action !== undefined && w.abbrev("dev")) {
      o.dev = checkDevice(w.value());
      w.advance();
      break;
    }
    w.value();
  }
  if (!ok && !indexed) throw new UsageError("", 1);
  if (o.action === "mirror") {
    const c = parseControl(w);
    if (c !== undefined) o.control = c;
  }
  if (w.more && w.abbrev("index")) {
    if (indexed) throw new UsageError("mirred: Illegal double index", 1);
    const n = cUint(w.value(), 10);
    if (n === undefined) throw new UsageError('mirred: Illegal "index"', 1);
    o.index = n;
    w.advance();
  }
  return o;
};

const POLICE_VERDICTS = ["reclassify", "drop", "shot", "continue", "pass", "ok", "pipe", "goto"];

/**
 * police (`police rate R burst B [mtu M] [peakrate P] … [conform-exceed A[/B]] [index N]`),
 * also the `police` word of the classic filters.
 */
export const police: ActionParser = (w: Words): Record<string, unknown> => {
  const o: Opts = {};
  w.value();
  let ok = 0;
  const once = (key: string, what: string, v: unknown) => {
    if (o[key] !== undefined) throw new UsageError(`Error: duplicate "${what}": "${w.word}" is the second value.`, 255);
    o[key] = v;
  };
  while (w.more) {
    if (w.abbrev("index")) {
      const v = w.value();
      const n = cUint(v, 10);
      if (n === undefined) throw new UsageError(`Error: argument "${v}" is wrong: index`, 255);
      o.index = n;
    } else if (w.abbrev("burst") || w.is("buffer") || w.is("maxburst")) once("burst", "buffer/burst", w.value());
    else if (w.is("mtu") || w.is("minburst")) {
      const v = w.value();
      once("mtu", "mtu/minburst", /^[0-9]+$/.test(v) ? Number(v) : v);
    } else if (w.is("mpu")) {
      const v = w.value();
      once("mpu", "mpu", /^[0-9]+$/.test(v) ? Number(v) : v);
    } else if (w.is("rate")) once("rate", "rate", w.value());
    else if (w.is("avrate")) once("avrate", "avrate", w.value());
    else if (w.abbrev("peakrate")) once("peakrate", "peakrate", w.value());
    else if (POLICE_VERDICTS.some((v) => w.abbrev(v))) {
      o.control = parseControl(w, false);
      ok++;
      continue;
    } else if (w.is("conform-exceed")) {
      const v = w.value();
      const [a, b] = v.split("/");
      const exceed = parseControl(new Words([a]), false);
      o.control = exceed;
      if (b !== undefined) o.conform = parseControl(new Words([b]), false);
      w.advance();
      ok++;
      continue;
    } else if (w.abbrev("overhead")) {
      const v = w.value();
      const n = cUint(v, 10, 0xffff);
      if (n === undefined) throw new UsageError(`Error: argument "${v}" is wrong: overhead`, 255);
      o.overhead = n;
    } else if (w.abbrev("linklayer")) o.linklayer = w.value();
    else if (w.abbrev("pkts_rate")) o.pktsRate = BigInt(w.value());
    else if (w.abbrev("pkts_burst")) o.pktsBurst = BigInt(w.value());
    else if (w.is("help")) throw new UsageError(ACTION_USAGE.police, 255);
    else break;
    w.advance();
    ok++;
  }
  if (!ok) throw new UsageError("", 1);
  const why = policeConflict(o);
  if (why !== undefined) throw new UsageError(why, 1);
  return o;
};

/** Whether a police setting is given and not zero (tc's C variables start at 0). */
function given(v: unknown): boolean {
  return v !== undefined && v !== 0 && v !== 0n && v !== "0";
}

/** What act_parse_police refuses after reading the words: its message ("" for a silent refusal). */
function policeConflict(o: Opts): string | undefined {
  const rate = given(o.rate), avrate = given(o.avrate), pps = given(o.pktsRate), mtu = given(o.mtu);
  if (rate && avrate) return "";
  if (!rate && !avrate && !given(o.index) && !mtu && !pps) {
    return "'rate' or 'avrate' or 'mtu' or 'pkts_rate' MUST be specified.";
  }
  if (rate && !given(o.burst) && !avrate) return "'burst' requires 'rate'.";
  if (pps && !given(o.pktsBurst)) return "'pkts_burst' requires 'pkts_rate'.";
  if (pps && rate) return "'rate' and 'pkts_rate' are not allowed in same action.";
  if (given(o.peakrate) && !rate) return "'peakrate' requires 'rate'.";
  if (given(o.peakrate) && !mtu) return "'mtu' is required, if 'peakrate' is requested.";
  return undefined;
}

/**
 * A classic filter's `police …` words (its TCA_*_POLICE): police's words, a
 * refusal reported as the filters report it (`Illegal "police"`, exit 1).
 */
export function filterPolice(w: Words): Record<string, unknown> {
  try {
    return police(w);
  } catch (e) {
    if (!(e instanceof UsageError) || e.code !== 1 || e.printed) throw e;
    throw new UsageError(`${e.message ? e.message + "\n" : ""}Illegal "police"`, 1);
  }
}

const simple: ActionParser = (w) => {
  const o: Opts = {};
  let ok = 0;
  while (w.more) {
    if (w.abbrev("simple")) w.value();
    else if (w.abbrev("sdata")) {
      o.sdata = w.value();
      ok++;
      w.advance();
    } else break;
  }
  controlAndIndex(w, o);
  if (o.index !== undefined) ok++;
  if (!ok) throw new UsageError(ACTION_USAGE.simple, 1);
  return o;
};

const sample: ActionParser = (w) => {
  const o: Opts = {};
  w.value();
  const keys: [string, string][] = [["rate", "rate"], ["group", "group"], ["trunc", "trunc"]];
  while (w.more) {
    const k = keys.find(([word]) => w.abbrev(word));
    if (k === undefined) break;
    const n = cUint(w.value(), 10);
    if (n === undefined) throw new UsageError(`Illegal "${k[0]}"`, 1);
    o[k[1]] = n;
    w.advance();
  }
  controlAndIndex(w, o);
  // Binding an existing action by index needs neither; sample's usage() then ends the program.
  for (const key of ["group", "rate"]) {
    if (o.index === undefined && o[key] === undefined) {
      throw new UsageError(`param "${key}" not set\n${ACTION_USAGE.sample}`, 255);
    }
  }
  return o;
};

const connmark: ActionParser = (w) => {
  const o: Opts = {};
  if (w.abbrev("connmark")) w.advance();
  if (w.more && w.abbrev("zone")) {
    const n = cUint(w.value(), 10, 0xffff);
    if (n === undefined) throw illegal("zone");
    o.zone = n;
    w.advance();
  }
  controlAndIndex(w, o);
  return o;
};

const CSUM: [string, string][] = [
  ["iph", "iph"],
  ["ip4h", "ip4h"],
  ["ipv4h", "ipv4h"],
  ["icmp", "icmp"],
  ["igmp", "igmp"],
  ["tcp", "tcp"],
  ["udp", "udp"],
  ["udplite", "udplite"],
  ["sctp", "sctp"],
];

const csum: ActionParser = (w) => {
  const o: Opts = {};
  const update: string[] = [];
  w.value();
  while (w.more) {
    const k = CSUM.find(([word]) => w.abbrev(word));
    if (k !== undefined) update.push(k[1]);
    else if (!(w.abbrev("and") || w.abbrev("or") || w.abbrev("+"))) break;
    w.advance();
  }
  if (update.length === 0) throw new UsageError("Illegal csum construct, empty <UPDATE> list", 1);
  o.update = update;
  controlAndIndex(w, o);
  return o;
};

const nat: ActionParser = (w) => {
  const o: Opts = {};
  w.value();
  if (w.abbrev("egress")) o.direction = "egress";
  else if (w.abbrev("ingress")) o.direction = "ingress";
  else throw new UsageError(`Illegal nat construct (${w.word})\n${ACTION_USAGE.nat}`, 1);
  o.old = w.value();
  o.new = w.value();
  w.advance();
  controlAndIndex(w, o);
  return o;
};

const ctinfo: ActionParser = (w) => {
  const o: Opts = {};
  if (w.abbrev("ctinfo")) w.advance();
  if (w.more && w.abbrev("dscp")) {
    const v = w.value();
    const n = cUint(v, 0);
    if (n === undefined) throw illegal("dscp mask");
    o.dscpMask = n;
    w.advance();
    const s = cUint(w.word, 0);
    if (s !== undefined) {
      o.dscpStatemask = s;
      w.advance();
    }
  }
  if (w.more && w.abbrev("cpmark")) {
    w.advance();
    const m = cUint(w.word, 0);
    o.cpmark = m ?? true;
    if (m !== undefined) w.advance();
  }
  if (w.more && w.abbrev("zone")) {
    const n = cUint(w.value(), 10, 0xffff);
    if (n === undefined) throw illegal("zone");
    o.zone = n;
    w.advance();
  }
  controlAndIndex(w, o);
  return o;
};

const bpf: ActionParser = (w) => {
  const o: Opts = {};
  w.value();
  if (w.abbrev("help")) throw new UsageError(ACTION_USAGE.bpf, 1); // the usage, then the parse fails
  while (w.more) {
    if (w.abbrev("bytecode")) o.bytecode = w.value();
    else if (w.abbrev("bytecode-file")) o.bytecode = readBytecodeFile(w.value(), 'Illegal "bytecode-file"');
    else if (w.abbrev("object-file") || w.abbrev("object-pinned")) {
      // Loading an eBPF ELF object needs an ELF loader and the bpf syscall: not here.
      throw new UsageError(`nlink: "bpf ${w.word}" is not supported`, 1);
    } else break;
    w.advance();
  }
  if (o.bytecode !== undefined) {
    const ops = parseBytecode(o.bytecode as string);
    if (typeof ops === "string") throw new UsageError(ops, 1);
    o.bytecode = ops;
  }
  // No program: tc's bpf parser takes the word for a mode it does not know.
  if (o.bytecode === undefined && w.more && !w.abbrev("index") && verdictWord(w.word) === undefined) {
    throw new UsageError(`What mode is "${w.word}"?`, 1);
  }
  controlAndIndex(w, o);
  return o;
};

/** The generic kinds' parsers. */
export const GENERIC_ACTIONS: Readonly<Record<string, ActionParser>> = {
  gact,
  mirred,
  police,
  simple,
  sample,
  connmark,
  csum,
  nat,
  ctinfo,
  bpf,
};
