/**
 * Parsers of the layer-2 action kinds' words: vlan, mpls, skbedit, skbmod
 * (as m_vlan.c, m_mpls.c, m_skbedit.c, m_skbmod.c read them).
 *
 * @module
 */
import { matches, UsageError } from "../common/args.ts";
import type { ActionParser } from "./action_parse.ts";
import { cUint, illegal, type Words } from "./filter_args.ts";
import { controlAndIndex } from "./m_generic.ts";
import { ACTION_USAGE } from "./m_usage.ts";

type Opts = Record<string, unknown>;

function invarg(what: string, value: string | undefined): UsageError {
  return new UsageError(`Error: argument "${value}" is wrong: ${what}`, 255);
}

/** Reads `KEY VALUE` pairs and bare verbs until a word neither knows. */
function keywords(
  w: Words,
  o: Opts,
  verbs: readonly string[],
  values: Record<string, (v: string) => unknown>,
): void {
  while (w.more) {
    // In tc's order: "pop" takes "po", "pop_eth" only itself.
    const verb = verbs.find((v) => w.abbrev(v));
    if (verb !== undefined) {
      if (o.action !== undefined) throw new UsageError(`unexpected "${w.word}"`, 1);
      o.action = verb;
    } else {
      const key = Object.keys(values).find((k) => w.abbrev(k));
      if (key === undefined) break;
      const v = w.value();
      values[key](v);
    }
    w.advance();
  }
}

const vlan: ActionParser = (w) => {
  const o: Opts = {};
  w.value();
  keywords(w, o, ["pop", "push", "modify", "pop_eth", "push_eth"], {
    id: (v) => {
      const n = cUint(v, 0, 0xffff);
      if (n === undefined) throw invarg("invalid vlan id", v);
      o.id = n;
    },
    protocol: (v) => (o.protocol = v),
    priority: (v) => {
      const n = cUint(v, 0, 7);
      if (n === undefined) throw invarg("invalid vlan prio", v);
      o.priority = n;
    },
    dst_mac: (v) => (o.dstMac = v),
    src_mac: (v) => (o.srcMac = v),
  });
  // Without a verb tc's vlan takes no word: the next one is read as the next action (tc sends vlan's 0 verb).
  if (o.action === undefined && !w.more) throw new UsageError('Command line is not complete. Try option "help"', 255);
  controlAndIndex(w, o);
  return o;
};

const mpls: ActionParser = (w) => {
  const o: Opts = {};
  w.value();
  const u8 = (key: string, max: number, what: string) => (v: string) => {
    const n = cUint(v, 0, 0xff);
    if (n === undefined || n > max || (key === "ttl" && n === 0)) throw invarg(what, v);
    o[key] = n;
  };
  keywords(w, o, ["pop", "push", "modify", "mac_push", "dec_ttl"], {
    label: (v) => {
      const n = cUint(v, 0);
      if (n === undefined || n > 0xfffff) throw invarg("label must be <=0xFFFFF", v);
      o.label = n;
    },
    tc: u8("tc", 7, "tc field is 3 bits max"),
    ttl: u8("ttl", 255, "ttl must be >0 and <=255"),
    bos: u8("bos", 1, "bos must be 0 or 1"),
    protocol: (v) => (o.protocol = v),
  });
  if (o.action === undefined) throw new UsageError('Command line is not complete. Try option "help"', 255);
  controlAndIndex(w, o);
  return o;
};

const PTYPES = ["host", "broadcast", "multicast", "otherhost"];

const skbedit: ActionParser = (w) => {
  const o: Opts = {};
  w.value();
  while (w.more) {
    if (w.abbrev("queue_mapping")) {
      const v = w.value();
      const n = cUint(v, 10, 65535);
      if (n === undefined) throw illegal("queue_mapping");
      o.queueMapping = n;
    } else if (w.abbrev("priority")) o.priority = w.value();
    else if (w.abbrev("mark")) {
      const v = w.value();
      const [m, mask] = v.split("/");
      const n = cUint(m, 0);
      if (n === undefined) throw illegal("mark");
      o.mark = n;
      if (mask !== undefined) {
        const k = cUint(mask, 0);
        if (k === undefined) throw illegal("mask");
        o.mask = k;
      }
    } else if (w.abbrev("ptype")) {
      const v = w.value();
      const t = PTYPES.find((p) => matches(v, p));
      if (t === undefined) throw illegal("ptype");
      o.ptype = t;
    } else if (w.abbrev("inheritdsfield")) o.inheritDsfield = true;
    else break;
    w.advance();
  }
  controlAndIndex(w, o);
  if (Object.keys(o).every((k) => k === "control")) throw new UsageError(ACTION_USAGE.skbedit, 1); // nothing to do
  return o;
};

const skbmod: ActionParser = (w) => {
  const o: Opts = {};
  while (w.more) {
    if (w.abbrev("skbmod") || w.abbrev("swap") || w.abbrev("set")) {
      w.value();
      continue;
    } else if (w.abbrev("mac")) o.swapMac = true;
    else if (w.abbrev("etype")) {
      const v = w.value();
      const n = cUint(v, 0, 0xffff);
      if (n === undefined) throw invarg("ethertype is invalid", v);
      console.error(`skbmod etype 0x${n.toString(16)}`);
      o.etype = n;
    } else if (w.abbrev("dmac")) {
      o.dmac = w.value();
      console.error(`dst MAC address <${o.dmac}>`);
    } else if (w.abbrev("smac")) {
      o.smac = w.value();
      console.error(`src MAC address <${o.smac}>`);
    } else if (w.abbrev("ecn")) o.ecn = true;
    else break;
    w.advance();
  }
  controlAndIndex(w, o, 0);
  if (Object.keys(o).every((k) => k === "control")) {
    throw new UsageError(`skbmod requires at least one option\n${ACTION_USAGE.skbmod}`, 255);
  }
  return o;
};

/** The layer-2 kinds' parsers. */
export const L2_ACTIONS: Readonly<Record<string, ActionParser>> = { vlan, mpls, skbedit, skbmod };
