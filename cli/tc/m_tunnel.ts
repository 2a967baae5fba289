/**
 * Parsers of the tunnelling and tracking action kinds' words: tunnel_key,
 * ct, ife, gate (as m_tunnel_key.c, m_ct.c, m_ife.c, m_gate.c read them).
 *
 * @module
 */
import { matches, UsageError } from "../common/args.ts";
import type { ActionParser } from "./action_parse.ts";
import { cInt, cUint, illegal, type Words } from "./filter_args.ts";
import { controlAndIndex } from "./m_generic.ts";
import { ACTION_USAGE } from "./m_usage.ts";

type Opts = Record<string, unknown>;

/** `CLASS:TYPE:DATA[,…]` (class and type in hex, data as hex bytes). */
function geneveOpts(text: string): Opts[] {
  return text.split(",").map((opt) => {
    const [c, t, data] = opt.split(":");
    const cls = cUint(c, 16, 0xffff);
    const type = cUint(t, 16, 0xff);
    if (cls === undefined || type === undefined || data === undefined) throw illegal("geneve_opts");
    return { class: cls, type, data };
  });
}

/** `VERSION:INDEX:DIR:HWID`. */
function erspanOpts(text: string): Opts {
  const [version, index, dir, hwid] = text.split(":").map((x) => cUint(x, 0));
  if (version === undefined) throw illegal("erspan_opts");
  return { version, index: index ?? 0, dir: dir ?? 0, hwid: hwid ?? 0 };
}

const tunnelKey: ActionParser = (w) => {
  const o: Opts = {};
  w.value();
  while (w.more) {
    if (w.abbrev("unset") || w.abbrev("set")) {
      if (o.action !== undefined) {
        throw new UsageError(`unexpected "${w.word}" - action already specified`, 1);
      }
      o.action = w.abbrev("unset") ? "unset" : "set";
    } else if (w.abbrev("src_ip")) o.srcIp = w.value();
    else if (w.abbrev("dst_ip")) o.dstIp = w.value();
    else if (w.abbrev("id")) {
      const n = cUint(w.value(), 0);
      if (n === undefined) throw illegal("id");
      o.id = n;
    } else if (w.abbrev("dst_port")) {
      const n = cUint(w.value(), 0, 0xffff);
      if (n === undefined) throw illegal("dst port");
      o.dstPort = n;
    } else if (w.abbrev("geneve_opts")) o.geneveOpts = geneveOpts(w.value());
    else if (w.abbrev("vxlan_opts")) {
      const gbp = cUint(w.value(), 0);
      if (gbp === undefined) throw illegal("vxlan_opts");
      o.vxlanOpts = { gbp };
    } else if (w.abbrev("erspan_opts")) o.erspanOpts = erspanOpts(w.value());
    else if (w.abbrev("tos")) {
      const n = cUint(w.value(), 0, 0xff);
      if (n === undefined) throw illegal("tos");
      o.tos = n;
    } else if (w.abbrev("ttl")) {
      const n = cUint(w.value(), 0, 0xff);
      if (n === undefined) throw illegal("ttl");
      o.ttl = n;
    } else if (w.abbrev("csum")) o.csum = true;
    else if (w.abbrev("nocsum")) o.csum = false;
    else break;
    w.advance();
  }
  controlAndIndex(w, o);
  return o;
};

const ct: ActionParser = (w) => {
  const o: Opts = {};
  if (w.abbrev("ct")) w.advance();
  const masked = (v: string, key: string, maskKey: string, num: boolean) => {
    const [a, m] = v.split("/");
    o[key] = num ? cUint(a, 0) ?? a : a;
    if (m !== undefined) o[maskKey] = num ? cUint(m, 0) ?? m : m;
  };
  while (w.more) {
    if (w.abbrev("zone")) {
      const n = cUint(w.value(), 0, 0xffff);
      if (n === undefined) throw new UsageError('ct: Illegal "zone"', 1);
      o.zone = n;
    } else if (w.abbrev("nat")) {
      o.nat = true;
      const t = w.value();
      if (!matches(t, "src") && !matches(t, "dst")) continue;
      const nat: Opts = { type: matches(t, "src") ? "src" : "dst" };
      o.nat = nat;
      if (!matches(w.value(), "addr")) throw new UsageError("", 255, true);
      nat.addr = w.value();
      if (!matches(w.value(), "port")) continue;
      const p = w.value();
      nat.port = /^[0-9]+$/.test(p) ? Number(p) : p;
    } else if (w.abbrev("clear")) o.clear = true;
    else if (w.abbrev("commit")) o.commit = true;
    else if (w.abbrev("force")) o.force = true;
    else if (w.abbrev("index")) {
      const n = cUint(w.value(), 10);
      if (n === undefined) throw new UsageError('ct: Illegal "index"', 1);
      o.index = n;
    } else if (w.abbrev("mark")) masked(w.value(), "mark", "markMask", true);
    else if (w.abbrev("label")) masked(w.value(), "label", "labelMask", false);
    else break;
    w.advance();
  }
  controlAndIndex(w, o);
  return o;
};

const IFE_META = ["mark", "prio", "tcindex"];

const ife: ActionParser = (w) => {
  const o: Opts = {};
  const allow: string[] = [];
  const use: Opts = {};
  while (w.more) {
    if (w.abbrev("ife")) {
      w.value();
      continue;
    } else if (w.abbrev("decode")) o.mode = "decode";
    else if (w.abbrev("encode")) o.mode = "encode";
    else if (w.abbrev("allow")) {
      const v = w.value();
      const m = IFE_META.find((x) => matches(v, x));
      if (m === undefined) throw new UsageError(`Illegal meta define <${v}>`, 1);
      allow.push(m);
    } else if (w.abbrev("use")) {
      const v = w.value();
      const m = IFE_META.find((x) => matches(v, x));
      if (m === undefined) throw new UsageError(`Illegal meta use type <${v}>`, 1);
      const n = cUint(w.value(), 0, m === "tcindex" ? 0xffff : 0xffffffff);
      if (n === undefined) throw new UsageError(`ife: Illegal "${m}" value`, 1);
      use[m] = n;
    } else if (w.abbrev("type")) {
      const n = cUint(w.value(), 0, 0xffff);
      if (n === undefined) throw illegal("type");
      o.type = n;
    } else if (w.abbrev("dst")) o.dst = w.value();
    else if (w.abbrev("src")) o.src = w.value();
    else break;
    w.advance();
  }
  if (Object.keys(use).length) o.use = use;
  if (allow.length) o.allow = allow;
  controlAndIndex(w, o, 0);
  if (o.mode === undefined && o.index === undefined) {
    throw new UsageError(`IFE requires decode/encode specified\n${ACTION_USAGE.ife}`, 255);
  }
  return o;
};

function gateEntry(w: Words): Opts {
  const incomplete = () => new UsageError('"sched-entry" is incomplete', 1);
  if (!w.hasNext) throw incomplete();
  const state = w.value();
  if (state !== "open" && state !== "close") throw incomplete();
  if (!w.hasNext) throw incomplete();
  const iv = w.value();
  const e: Opts = { gate: state, interval: cUint(iv, 0) ?? iv };
  if (!w.hasNext) return e;
  const ipv = cInt(w.peekNext(), 0);
  if (ipv === undefined) return e;
  w.advance();
  if (state === "open") e.ipv = ipv;
  if (!w.hasNext) return e;
  const next = w.peekNext()!;
  const oct = cInt(next, 0);
  if (oct === undefined && !/^[0-9.]+[a-zA-Z]*$/.test(next)) return e;
  w.advance();
  if (state === "open") e.maxOctets = oct ?? next;
  return e;
}

const gate: ActionParser = (w) => {
  const o: Opts = {};
  const entries: Opts[] = [];
  w.value();
  while (w.more) {
    if (w.abbrev("index")) {
      const n = cUint(w.value(), 10);
      if (n === undefined) throw illegal("index");
      o.index = n;
    } else if (w.abbrev("priority")) {
      const n = cInt(w.value(), 0);
      if (n === undefined) throw illegal("priority");
      o.priority = n;
    } else if (w.abbrev("base-time")) {
      const v = w.value();
      o.baseTime = /^[0-9]+$/.test(v) ? BigInt(v) : v;
    } else if (w.abbrev("cycle-time")) {
      const v = w.value();
      o.cycleTime = /^[0-9]+$/.test(v) ? BigInt(v) : v;
    } else if (w.abbrev("cycle-time-ext")) {
      const v = w.value();
      o.cycleTimeExt = /^[0-9]+$/.test(v) ? BigInt(v) : v;
    } else if (w.abbrev("clockid")) o.clockid = w.value();
    else if (w.abbrev("flags")) {
      const n = cUint(w.value(), 0);
      if (n === undefined) throw illegal("flags");
      o.flags = n;
    } else if (w.abbrev("sched-entry")) entries.push(gateEntry(w));
    else break;
    w.advance();
  }
  if (entries.length) o.entries = entries;
  controlAndIndex(w, o);
  if (!entries.length && o.index === undefined) throw new UsageError("gate: must add at least one entry", 1);
  return o;
};

/** The tunnelling and tracking kinds' parsers. */
export const TUNNEL_ACTIONS: Readonly<Record<string, ActionParser>> = { tunnel_key: tunnelKey, ct, ife, gate };
