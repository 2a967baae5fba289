/**
 * Policy-routing rules: list, add, delete, flush, save and restore. Requests
 * are byte-for-byte what `ip rule` sends.
 *
 * @module
 */
import { type DumpOptions, type NetlinkConnection, streamOptionsOf } from "../core/connection.ts";
import { ERRNO } from "../core/errno.ts";
import { ValidationError } from "../core/errors.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import { decodeMessage, encodeMessage, inOptionOrder, type MessageView } from "../core/message.ts";
import type { RawAttribute } from "../core/schema.ts";
import { MessageWriter } from "../core/writer.ts";
import { AF_INET, AF_INET6, ipFamily, parsePrefix, prefixFamily } from "../util/addr.ts";
import { FAMILY, RTM } from "./constants.ts";
import { readDumpFile, restoreDump, saveDump } from "./dump_file.ts";
import { type Dev, getLinkName } from "./link_lookup.ts";
import { flushByEcho } from "./flush.ts";
import type { Table } from "./route.ts";
import { RT_TABLE, RTNL_FAMILY, RTPROT, tableId } from "./route_attrs.ts";
import { FIB_RULE_FLAGS, FR_ACT, IPPROTO, RULE_MESSAGE, ruleAddressFamily } from "./rule_attrs.ts";

/** A rule, decoded completely from RTM_NEWRULE. */
export interface Rule {
  /** `"inet"` or `"inet6"` (or the multicast-routing families' numbers, 128 and 129). */
  family: string | number;
  /** Destination prefix length. */
  dstLen: number;
  /** Source prefix length. */
  srcLen: number;
  /** TOS / DSCP field to match (0: any). */
  tos: number;
  /** The table looked up (FRA_TABLE, else the header's 8 bits; 0 when none). */
  table: number;
  /** `"lookup"`, `"goto"`, `"nop"`, `"blackhole"`, `"unreachable"`, `"prohibit"`, … */
  action: string | number;
  /** `"invert"` (iproute2's `not`), `"unresolved"` (a goto whose target is missing), `"iif_detached"`, … */
  flags: string[];
  /** The priority (preference); 0 for the first rule. */
  priority: number;
  /** Destination prefix, `"10.0.0.0/8"`. */
  dst?: string;
  /** Source prefix, `"10.0.0.0/8"`. */
  src?: string;
  /** Input interface name. */
  iif?: string;
  /** Output interface name. */
  oif?: string;
  /** `goto` target priority. */
  goto?: number;
  /** NAT address of the deprecated `nat` action. */
  gateway?: string;
  /** Firewall mark to match. */
  fwmark?: number;
  /** Mask applied to the mark first. */
  fwmask?: number;
  /** Realms: source realm << 16 | destination realm. */
  flow?: number;
  /** Tunnel id to match. */
  tunId?: bigint;
  /** Suppress routes whose device is in this group. */
  suppressIfgroup?: number;
  /** Suppress routes with a prefix length up to this. */
  suppressPrefixlen?: number;
  /** 1: look up the l3mdev (VRF) table of the device. */
  l3mdev?: number;
  /** User-id range to match. */
  uidRange?: { start: number; end: number };
  /** Who added the rule: `"kernel"`, `"boot"`, `"static"`, … */
  protocol?: string | number;
  /** IP protocol to match (`"tcp"`, `"udp"`, … or a number). */
  ipProto?: string | number;
  /** Source-port range to match. */
  sportRange?: { start: number; end: number };
  /** Destination-port range to match. */
  dportRange?: { start: number; end: number };
  /** DSCP to match (Linux 6.12+). */
  dscp?: number;
  /** IPv6 flow label to match (Linux 6.14+). */
  flowlabel?: number;
  /** Flow-label mask (Linux 6.14+). */
  flowlabelMask?: number;
  /** Source-port mask (Linux 6.15+). */
  sportMask?: number;
  /** Destination-port mask (Linux 6.15+). */
  dportMask?: number;
  /** DSCP mask (Linux 6.15+). */
  dscpMask?: number;
  /** Attributes nlink does not know, kept as they came. */
  unknownAttrs?: RawAttribute[];
}

/**
 * Decodes an RTM_NEWRULE / RTM_DELRULE message; `src`/`dst` become prefixes,
 * the table is FRA_TABLE when present, and unset suppressors (-1) are dropped.
 *
 * @example
 * ```ts ignore
 * import { decodeRule } from "./rule.ts";
 * decodeRule(msg); // { priority: 100, src: "10.0.0.0/8", table: 1000, action: "lookup", … }
 * ```
 */
export function decodeRule(msg: MessageView): Rule {
  const r = decodeMessage(RULE_MESSAGE, msg) as unknown as Rule;
  r.priority ??= 0;
  if (r.src !== undefined) r.src += "/" + r.srcLen;
  if (r.dst !== undefined) r.dst += "/" + r.dstLen;
  if (r.suppressPrefixlen === -1) delete r.suppressPrefixlen;
  if (r.suppressIfgroup === -1) delete r.suppressIfgroup;
  return r;
}

const decodeNewRule = (m: MessageView): Rule | undefined => (m.type === RTM.NEWRULE ? decodeRule(m) : undefined);

/**
 * Builds the RTM_GETRULE dump request (`ip rule show`; iproute2 asks for
 * `inet` unless told `-6`).
 *
 * @example
 * ```ts
 * import { ruleDumpRequest } from "./rule.ts";
 * ruleDumpRequest("inet").length; // 28
 * ```
 */
export function ruleDumpRequest(family: RuleFamily | "unspec" = "unspec"): Uint8Array {
  const w = new MessageWriter(32);
  const header = { family: family === "unspec" ? family : ruleFamilyNumber(family) };
  encodeMessage(w, RULE_MESSAGE, RTM.GETRULE, REQUEST_FLAGS.dump, header);
  return w.bytes();
}

/**
 * A rule family: IPv4's or IPv6's routing rules, or the multicast routing
 * rules (`ip mrule`) of IPv4 (`"ipmr"`, RTNL_FAMILY_IPMR) or IPv6 (`"ip6mr"`).
 */
export type RuleFamily = "inet" | "inet6" | "ipmr" | "ip6mr";

const RULE_FAMILIES: Record<RuleFamily, number> = {
  inet: AF_INET,
  inet6: AF_INET6,
  ipmr: RTNL_FAMILY.IPMR,
  ip6mr: RTNL_FAMILY.IP6MR,
};

/** The number of a rule family, checked. */
function ruleFamilyNumber(family: unknown): number {
  if (typeof family !== "string" || !Object.hasOwn(RULE_FAMILIES, family)) {
    throw new ValidationError("family", family, 'expected "inet", "inet6", "ipmr" or "ip6mr"');
  }
  return RULE_FAMILIES[family as RuleFamily];
}

/** Filters for {@linkcode getRules}. */
export interface GetRulesOptions extends DumpOptions {
  /** A {@linkcode RuleFamily} (default: every family). */
  family?: RuleFamily;
  /** Only rules that look up this table (filtered here). */
  table?: Table;
}

function ruleFilter(o: GetRulesOptions): (m: MessageView) => Rule | undefined {
  if (o.family !== undefined) ruleFamilyNumber(o.family);
  const table = o.table === undefined ? undefined : tableId(o.table);
  return (m) => {
    const r = decodeNewRule(m);
    return r === undefined || (table !== undefined && r.table !== table) ? undefined : r;
  };
}

/**
 * Every rule (of one family), fully decoded, like `ip rule show`.
 *
 * @example
 * ```ts ignore
 * for (const r of await getRules(conn, { family: "inet" })) console.log(r.priority, r.src, r.table);
 * ```
 */
export function getRules(conn: NetlinkConnection, options: GetRulesOptions = {}): Promise<Rule[]> {
  const decode = ruleFilter(options);
  return conn.dump(ruleDumpRequest(options.family), decode, "getRules", options);
}

/**
 * Streams rules one by one.
 *
 * @example
 * ```ts ignore
 * for await (const r of streamRules(conn)) console.log(r.priority);
 * ```
 */
export async function* streamRules(conn: NetlinkConnection, options: GetRulesOptions = {}): AsyncGenerator<Rule> {
  const decode = ruleFilter(options);
  yield* conn.stream(ruleDumpRequest(options.family), decode, "streamRules", streamOptionsOf(options));
}

/** A port (`80`) or an inclusive range (`{ start: 80, end: 90 }`). */
export type PortRange = number | { start: number; end: number };

/** What a rule matches (`ip rule add SELECTOR ACTION`); every selector is optional. */
export interface RuleSelectors {
  /** A {@linkcode RuleFamily}; inferred from `from`/`to`, else `"inet"` (as iproute2). */
  family?: RuleFamily;
  /** Priority (`pref`); the kernel picks one below the previous rule's when omitted. */
  priority?: number;
  /** Invert the match (`not`). */
  not?: boolean;
  /** Source prefix (`from`). */
  from?: string;
  /** Destination prefix (`to`). */
  to?: string;
  /** TOS byte (`tos`; IPv4: the three TOS bits, IPv6: the DSCP field). */
  tos?: number;
  /** Firewall mark (`fwmark`). */
  fwmark?: number;
  /** Mask for the mark (`fwmark M/MASK`). */
  fwmask?: number;
  /** Realms (`realms [SRC/]DST`): a number (SRC << 16 | DST) or `{ from, to }`. */
  realms?: number | { from?: number; to: number };
  /** Who adds the rule (`protocol`): `"static"`, `"zebra"`, … or a number. */
  protocol?: string | number;
  /** Tunnel id (`tun_id`). */
  tunId?: bigint | number;
  /** Input interface (`iif`): a name (it need not exist yet) or an ifindex. */
  iif?: Dev;
  /** Output interface (`oif`), for locally generated traffic bound to it. */
  oif?: Dev;
  /** Look up the table of the device's l3mdev (VRF) instead of a fixed one (`l3mdev`). */
  l3mdev?: boolean;
  /** User ids (`uidrange START-END`). */
  uidRange?: { start: number; end: number };
  /** IP protocol (`ipproto`): `"tcp"`, `"udp"`, … or a number. */
  ipProto?: string | number;
  /** Source port or range (`sport`). */
  sport?: PortRange;
  /** Destination port or range (`dport`). */
  dport?: PortRange;
  /** DSCP value 0..63 (`dscp`, Linux 6.12+). */
  dscp?: number;
  /** DSCP mask (Linux 6.15+). */
  dscpMask?: number;
  /** IPv6 flow label (`flowlabel`, Linux 6.14+). */
  flowlabel?: number;
  /** Flow-label mask (Linux 6.14+). */
  flowlabelMask?: number;
  /** Source-port mask, with a single `sport` (Linux 6.15+). */
  sportMask?: number;
  /** Destination-port mask, with a single `dport` (Linux 6.15+). */
  dportMask?: number;
}

/** Look a table up (`lookup TABLE`, the default action). */
export interface RuleLookupAction {
  /** The action (default). */
  action?: "lookup";
  /** The table (default main; ids above 255 go in FRA_TABLE). */
  table?: Table;
  /** Ignore routes with a prefix length up to this (`suppress_prefixlength`). */
  suppressPrefixlength?: number;
  /** Ignore routes through devices of this group (`suppress_ifgroup`). */
  suppressIfgroup?: number;
}

/** Jump to the rule with this priority (`goto`). */
export interface RuleGotoAction {
  /** The action. */
  action: "goto";
  /** The target rule's priority. */
  target: number;
}

/** An action without parameters. */
export interface RuleTypeAction {
  /** `nop`, or drop (`blackhole`), or fail with ENETUNREACH (`unreachable`) or EACCES (`prohibit`). */
  action: "nop" | "blackhole" | "unreachable" | "prohibit";
}

/** Deprecated route NAT (`nat ADDR`; iproute2 warns, kernels ignore the address). */
export interface RuleNatAction {
  /** The action. */
  action: "nat";
  /** The IPv4 address to map to. */
  nat: string;
}

/** What {@linkcode addRule} and {@linkcode delRule} take: selectors and one action. */
export type RuleOptions = RuleSelectors & (RuleLookupAction | RuleGotoAction | RuleTypeAction | RuleNatAction);

/** Interface names resolved from ifindexes for a rule request. */
export interface RuleNames {
  /** The name for `iif`. */
  iif?: string;
  /** The name for `oif`. */
  oif?: string;
}

function u32(x: unknown, field: string, max = 0xffffffff): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x > max) {
    throw new ValidationError(field, x, `expected an integer 0..${max}`);
  }
  return x;
}

function range(x: unknown, field: string, max: number): { start: number; end: number } {
  const r = typeof x === "number" ? { start: x, end: x } : x as { start: number; end: number };
  if (r === null || typeof r !== "object") throw new ValidationError(field, x, "expected a number or { start, end }");
  u32(r.start, `${field}.start`, max);
  u32(r.end, `${field}.end`, max);
  // A start above the end is the kernel's to refuse ("Invalid uid range", …), as iproute2 leaves it.
  return { start: r.start, end: r.end };
}

function ifname(x: unknown, field: string): string {
  if (typeof x !== "string" || x === "" || x.length > 15 || /[\s/]/.test(x)) {
    throw new ValidationError(field, x, "expected an interface name (1-15 characters) or an ifindex");
  }
  return x;
}

function inferFamily(o: RuleSelectors): number {
  if (o.family !== undefined) return ruleFamilyNumber(o.family);
  return prefixFamily(o.from) || prefixFamily(o.to) || AF_INET;
}

/** The rule operations: `ip rule add|del`. */
export type RuleOp = "add" | "del";

/**
 * Builds the RTM_NEWRULE / RTM_DELRULE request `ip rule` sends. Attributes go
 * in the order of the options' keys (iproute2 sends them in the order typed),
 * then the rest in the order of `ip rule OP [not] [from P] [to P] [pref N] [tos T]
 * [fwmark M/MASK] [realms R] [protocol P] [tun_id T] [table T]
 * [suppress_prefixlength N] [suppress_ifgroup G] [iif D] [oif D] [l3mdev]
 * [uidrange A-B] [nat A] [ipproto P] [sport P] [dport P] [goto N]`, then the
 * selectors iproute2 6.1 does not know.
 *
 * @example
 * ```ts
 * import { ruleRequest } from "./rule.ts";
 * ruleRequest("add", { from: "10.0.0.0/8", table: 100, priority: 1000 }).length; // 44
 * ```
 */
export function ruleRequest(op: RuleOp, o: RuleOptions, names: RuleNames = {}): Uint8Array {
  const w = new MessageWriter(128);
  writeRuleRequest(w, op, o, names);
  return w.bytes();
}

/**
 * Appends the request {@linkcode ruleRequest} builds to `w` (for batches).
 *
 * @example
 * ```ts
 * import { writeRuleRequest } from "./rule.ts";
 * import { MessageWriter } from "../core/writer.ts";
 * writeRuleRequest(new MessageWriter(), "del", { priority: 1000 });
 * ```
 */
export function writeRuleRequest(w: MessageWriter, op: RuleOp, o: RuleOptions, names: RuleNames = {}): void {
  if (o === null || typeof o !== "object") throw new ValidationError("rule", o, "expected rule options");
  if (op !== "add" && op !== "del") throw new ValidationError("op", op, 'expected "add" or "del"');
  const family = inferFamily(o);
  const af = ruleAddressFamily(family); // a multicast rule's prefixes are IPv4's or IPv6's
  const add = op === "add";
  const action: string = o.action ?? "lookup";
  if (!["lookup", "goto", "nop", "blackhole", "unreachable", "prohibit", "nat"].includes(action)) {
    throw new ValidationError(
      "action",
      o.action,
      "expected lookup, goto, nop, blackhole, unreachable, prohibit or nat",
    );
  }
  const header: Record<string, unknown> = {
    family: FAMILY.name(family),
    dstLen: 0,
    srcLen: 0,
    tos: 0,
    table: 0,
    // iproute2 sets an action for add; a delete matches any unless one is named.
    action: add || o.action !== undefined && action !== "lookup" ? FR_ACT.value(action) : 0,
    flags: o.not ? FIB_RULE_FLAGS.bit("invert") : 0,
  };
  const attrs: Record<string, unknown> = {};
  if (o.from !== undefined) {
    const p = parsePrefix(o.from, "from", af);
    if (p.length > 0 || !/^(default|all|any)$/.test(o.from)) {
      attrs.src = p.address;
      header.srcLen = p.length;
    }
  }
  if (o.to !== undefined) {
    const p = parsePrefix(o.to, "to", af);
    if (p.length > 0 || !/^(default|all|any)$/.test(o.to)) {
      attrs.dst = p.address;
      header.dstLen = p.length;
    }
  }
  if (o.priority !== undefined) attrs.priority = u32(o.priority, "priority");
  if (o.tos !== undefined) header.tos = u32(o.tos, "tos", 255);
  if (o.fwmark !== undefined) attrs.fwmark = u32(o.fwmark, "fwmark");
  if (o.fwmask !== undefined) attrs.fwmask = u32(o.fwmask, "fwmask");
  if (o.realms !== undefined) {
    attrs.flow = typeof o.realms === "number"
      ? u32(o.realms, "realms")
      : ((u32(o.realms?.from ?? 0, "realms.from", 0xffff) << 16) | u32(o.realms?.to, "realms.to", 0xffff)) >>> 0;
  }
  if (o.protocol !== undefined) attrs.protocol = RTPROT.value(o.protocol, "protocol");
  if (o.tunId !== undefined) attrs.tunId = o.tunId;
  const lookup = o as RuleLookupAction;
  let tableGiven = false;
  if (action === "lookup" && lookup.table !== undefined) {
    if (o.l3mdev) throw new ValidationError("table", lookup.table, "an l3mdev rule takes its table from the device");
    const id = tableId(lookup.table);
    tableGiven = true;
    if (id < 256) header.table = id;
    else attrs.table = id;
  }
  if (action === "lookup" && lookup.suppressPrefixlength !== undefined) {
    attrs.suppressPrefixlen = u32(lookup.suppressPrefixlength, "suppressPrefixlength", 0x7fffffff);
  }
  if (action === "lookup" && lookup.suppressIfgroup !== undefined) {
    attrs.suppressIfgroup = u32(lookup.suppressIfgroup, "suppressIfgroup", 0x7fffffff);
  }
  if (o.iif !== undefined) attrs.iif = ifname(names.iif ?? o.iif, "iif");
  if (o.oif !== undefined) attrs.oif = ifname(names.oif ?? o.oif, "oif");
  if (o.l3mdev) attrs.l3mdev = 1;
  if (o.uidRange !== undefined) attrs.uidRange = range(o.uidRange, "uidRange", 0xffffffff);
  if (action === "nat") {
    const nat = (o as RuleNatAction).nat;
    if (typeof nat !== "string" || ipFamily(nat) !== AF_INET) {
      throw new ValidationError("nat", nat, "expected an IPv4 address");
    }
    attrs.gateway = nat;
  }
  if (o.ipProto !== undefined) attrs.ipProto = IPPROTO.value(o.ipProto, "ipProto");
  if (o.sport !== undefined) attrs.sportRange = range(o.sport, "sport", 0xffff);
  if (o.dport !== undefined) attrs.dportRange = range(o.dport, "dport", 0xffff);
  if (action === "goto") attrs.goto = u32((o as RuleGotoAction).target, "target");
  if (o.dscp !== undefined) attrs.dscp = u32(o.dscp, "dscp", 63);
  if (o.dscpMask !== undefined) attrs.dscpMask = u32(o.dscpMask, "dscpMask", 63);
  if (o.flowlabel !== undefined || o.flowlabelMask !== undefined) {
    if (af !== AF_INET6) throw new ValidationError("flowlabel", o.flowlabel, "flow labels are IPv6 only");
    if (o.flowlabel !== undefined) attrs.flowlabel = u32(o.flowlabel, "flowlabel", 0xfffff);
    if (o.flowlabelMask !== undefined) attrs.flowlabelMask = u32(o.flowlabelMask, "flowlabelMask", 0xfffff);
  }
  if (o.sportMask !== undefined) attrs.sportMask = u32(o.sportMask, "sportMask", 0xffff);
  if (o.dportMask !== undefined) attrs.dportMask = u32(o.dportMask, "dportMask", 0xffff);
  // iproute2: a new rule without a table (lookup and nat; not l3mdev) looks up main.
  if (add && (action === "lookup" || action === "nat") && !tableGiven && !o.l3mdev) header.table = RT_TABLE.MAIN;
  const type = add ? RTM.NEWRULE : RTM.DELRULE;
  encodeMessage(
    w,
    RULE_MESSAGE,
    type,
    add ? REQUEST_FLAGS.create : REQUEST_FLAGS.ack,
    header,
    inOptionOrder(o, attrs, OPTION_ATTRS),
    af,
  );
}

/** The attributes each option becomes (in `writeRuleRequest`). */
const OPTION_ATTRS: Record<string, string | readonly string[]> = {
  from: "src",
  to: "dst",
  priority: "priority",
  fwmark: ["fwmark", "fwmask"],
  fwmask: "fwmask",
  realms: "flow",
  protocol: "protocol",
  tunId: "tunId",
  table: "table",
  suppressPrefixlength: "suppressPrefixlen",
  suppressIfgroup: "suppressIfgroup",
  iif: "iif",
  oif: "oif",
  l3mdev: "l3mdev",
  uidRange: "uidRange",
  nat: "gateway",
  ipProto: "ipProto",
  sport: "sportRange",
  dport: "dportRange",
  target: "goto",
  dscp: "dscp",
  dscpMask: "dscpMask",
  flowlabel: "flowlabel",
  flowlabelMask: "flowlabelMask",
  sportMask: "sportMask",
  dportMask: "dportMask",
};

/**
 * Resolves `iif`/`oif` given as ifindexes to names (rules match by name).
 *
 * @example
 * ```ts ignore
 * const names = await resolveRuleNames(conn, { iif: 3, table: 100 });
 * ```
 */
export async function resolveRuleNames(conn: NetlinkConnection, o: RuleSelectors): Promise<RuleNames> {
  const name = async (d: Dev | undefined) => (typeof d === "number" ? (await getLinkName(conn, d)).name : undefined);
  return { iif: await name(o.iif), oif: await name(o.oif) };
}

async function modify(conn: NetlinkConnection, op: RuleOp, o: RuleOptions): Promise<void> {
  const placeholder = {
    iif: typeof o?.iif === "number" ? "x" : undefined,
    oif: typeof o?.oif === "number" ? "x" : undefined,
  };
  ruleRequest(op, o, placeholder); // bad input fails here, before any look-up
  await conn.ack(ruleRequest(op, o, await resolveRuleNames(conn, o)), `${op}Rule`);
}

/**
 * Adds a rule, like `ip rule add`; fails with EEXIST if the same rule exists.
 *
 * @example
 * ```ts ignore
 * await addRule(conn, { priority: 1000, from: "10.0.0.0/8", table: 100 });
 * await addRule(conn, { priority: 1001, fwmark: 0x10, fwmask: 0xff, action: "goto", target: 2000 });
 * ```
 */
export function addRule(conn: NetlinkConnection, options: RuleOptions): Promise<void> {
  return modify(conn, "add", options);
}

/**
 * Deletes the first rule matching every selector given, like `ip rule del`.
 *
 * @example
 * ```ts ignore
 * await delRule(conn, { priority: 1000 });
 * ```
 */
export function delRule(conn: NetlinkConnection, options: RuleOptions): Promise<void> {
  return modify(conn, "del", options);
}

/** What {@linkcode flushRules} deletes. */
export interface FlushRulesOptions extends DumpOptions {
  /** A {@linkcode RuleFamily}: `"inet"` by default, as iproute2. */
  family?: RuleFamily;
  /** Only rules that look up this table. */
  table?: Table;
  /** Only rules added by this protocol. */
  protocol?: string | number;
  /**
   * Keep the kernel's default rules (priority 0 → local, 32766 → main,
   * 32767 → default). Default true; `false` deletes every rule but priority 0,
   * exactly as `ip rule flush` does.
   */
  keepDefaults?: boolean;
  /** Deletes only the rules (of those the other options pick) this returns true for. */
  filter?: (rule: Rule) => boolean;
}

const DEFAULT_RULES: readonly [number, number][] = [[0, RT_TABLE.LOCAL], [32766, RT_TABLE.MAIN], [
  32767,
  RT_TABLE.DEFAULT,
]];

/** Whether `r` is one of the rules the kernel creates in every namespace. */
function isDefaultRule(r: Rule): boolean {
  // IPv6's multicast routing rules start with one that looks up main (IPv4's: default, as the unicast one).
  const defaults = r.family === RTNL_FAMILY.IP6MR ? IP6MR_DEFAULT_RULES : DEFAULT_RULES;
  return r.protocol === "kernel" && r.action === "lookup" && r.src === undefined && r.dst === undefined &&
    r.flags.length === 0 && defaults.some(([p, t]) => r.priority === p && r.table === t);
}

const IP6MR_DEFAULT_RULES: readonly [number, number][] = [[32767, RT_TABLE.MAIN]];

/**
 * Deletes the rules of a family, like `ip rule flush`: dumps them and sends
 * every deletion pipelined (each the dumped rule turned into RTM_DELRULE).
 * Resolves with the rules it deleted.
 *
 * @example
 * ```ts ignore
 * const gone = await flushRules(conn, { family: "inet6" });
 * ```
 */
export async function flushRules(conn: NetlinkConnection, options: FlushRulesOptions = {}): Promise<Rule[]> {
  const family = options.family ?? "inet";
  ruleFamilyNumber(family);
  const table = options.table === undefined ? undefined : tableId(options.table);
  const protocol = options.protocol === undefined ? undefined : RTPROT.value(options.protocol, "protocol");
  const keep = options.keepDefaults ?? true;
  const pick = (m: MessageView) => {
    const r = decodeNewRule(m);
    if (r === undefined || r.priority === 0) return undefined; // iproute2 skips rules without FRA_PRIORITY
    if (keep && isDefaultRule(r)) return undefined;
    if (table !== undefined && r.table !== table) return undefined;
    if (protocol !== undefined && RTPROT.value(r.protocol ?? 0) !== protocol) return undefined;
    if (options.filter && !options.filter(r)) return undefined;
    return r;
  };
  return await flushByEcho(conn, ruleDumpRequest(family), pick, RTM.DELRULE, "flushRules", {
    ...options,
    gone: [ERRNO.ENOENT],
    acks: "each",
    rounds: 1,
  });
}

/** What {@linkcode saveRules} saves. */
export interface SaveRulesOptions {
  /** `"inet"` (the default, as `ip rule save`) or `"inet6"` (`ip -6 rule save`). */
  family?: RuleFamily;
}

/**
 * Saves a family's rules like `ip rule save`: iproute2's rule dump file (its
 * magic number, then every RTM_NEWRULE of the dump, unfiltered), ready for
 * `ip rule restore` or {@linkcode restoreRules}.
 *
 * @example
 * ```ts ignore
 * await Deno.writeFile("rules.dump", await saveRules(conn, { family: "inet6" }));
 * ```
 */
export async function saveRules(conn: NetlinkConnection, options: SaveRulesOptions = {}): Promise<Uint8Array> {
  const family = options.family ?? "inet";
  ruleFamilyNumber(family);
  return await saveDump(conn, "rule", ruleDumpRequest(family), RTM.NEWRULE, "saveRules");
}

/**
 * Restores a rule dump file like `ip rule restore`: each saved rule sent back
 * in order as a create request. The kernel refuses a duplicate rule only on
 * NLM_F_EXCL, which iproute2 does not send, so a rule restored twice is there
 * twice (the defaults too). Rejects with a ValidationError for a damaged file
 * (nothing sent), or with the first kernel error (the rules before it stay).
 *
 * @example
 * ```ts ignore
 * await restoreRules(conn, await Deno.readFile("rules.dump"));
 * ```
 */
export async function restoreRules(conn: NetlinkConnection, file: Uint8Array): Promise<void> {
  await restoreDump(conn, file, "rule", "restoreRules");
}

/**
 * The rules of a rule dump file, decoded. Throws a ValidationError for a
 * damaged file (`Magic mismatch (…)`, a truncated or malformed message).
 *
 * @example
 * ```ts ignore
 * for (const r of readSavedRules(await Deno.readFile("rules.dump"))) console.log(r.priority, r.table);
 * ```
 */
export function readSavedRules(file: Uint8Array): Rule[] {
  return readDumpFile(file, "rule").map(decodeRule);
}
