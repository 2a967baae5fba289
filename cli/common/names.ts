/**
 * iproute2's name databases (route protocols, scopes, tables, realms, device
 * groups, DS fields): the built-in names, extended from /etc/iproute2 exactly
 * as iproute2 reads it, so numbers print as the same words. `-N` turns names off.
 *
 * @module
 */

import { parseUnsigned } from "./inet.ts";

const CONFDIR = "/etc/iproute2";

/** One `ID NAME` per line; `#` comments; ids in decimal or 0x hex. */
function readDb(path: string): [number, string][] {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    return []; // missing file or no --allow-read: the built-in names only, like iproute2 without the file
  }
  const out: [number, string][] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/^[ \t]+/, "");
    if (line === "" || line[0] === "#") continue;
    const m = /^(0x[0-9a-fA-F]+|-?\d+)[ \t\n\r\f\v]+(\S+)/.exec(line);
    if (!m) {
      console.error(`Database ${path} is corrupted at ${line}`);
      return out;
    }
    out.push([m[1].startsWith("0x") ? parseInt(m[1], 16) : parseInt(m[1], 10), m[2]]);
  }
  return out;
}

/** `*.conf` files of a directory, in readdir order (as iproute2 reads them). */
function confFiles(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)]
      .map((e) => e.name)
      .filter((n) => !n.startsWith(".") && n.length > 5 && n.endsWith(".conf"))
      .map((n) => `${dir}/${n}`);
  } catch {
    return [];
  }
}

/** A table of up to `size` (256) ids (iproute2's rtnl_tab): later definitions win. */
class SmallTable {
  #names: (string | undefined)[];
  #loaded = false;
  readonly #files: () => string[];
  readonly #numFmt: (id: number) => string;
  readonly #size: number;

  constructor(
    builtin: Record<number, string>,
    files: () => string[],
    numFmt: (id: number) => string = String,
    size = 256,
  ) {
    this.#size = size;
    this.#names = new Array(size);
    for (const [id, name] of Object.entries(builtin)) this.#names[Number(id)] = name;
    this.#files = files;
    this.#numFmt = numFmt;
  }

  #load(): void {
    if (this.#loaded) return;
    this.#loaded = true;
    for (const f of this.#files()) {
      for (const [id, name] of readDb(f)) if (id >= 0 && id < this.#size) this.#names[id] = name;
    }
  }

  name(id: number, numeric: boolean): string {
    if (id < 0 || id >= this.#size || numeric) return this.#numFmt(id);
    // iproute2 reads the file only for an id it has no built-in name for.
    if (this.#names[id] === undefined) this.#load();
    return this.#names[id] ?? this.#numFmt(id);
  }

  id(name: string, max = 255): number | undefined {
    this.#load();
    const i = this.#names.indexOf(name);
    if (i >= 0) return i;
    const v = strtoulWhole(name);
    return v === undefined || v > max ? undefined : v;
  }
}

/** A hashed table (iproute2's rtnl_hash): ids may exceed 255; the last definition of an id wins. */
class HashTable {
  #byId = new Map<number, string>();
  #order: [number, string][] = [];
  #loaded = false;
  readonly #builtin: [number, string][];
  readonly #files: () => string[];

  constructor(builtin: [number, string][], files: () => string[]) {
    this.#builtin = builtin;
    this.#files = files;
  }

  #load(): void {
    if (this.#loaded) return;
    this.#loaded = true;
    const all = [...this.#builtin];
    for (const f of this.#files()) for (const e of readDb(f)) if (e[0] >= 0) all.push(e);
    for (const [id, name] of all) this.#byId.set(id, name);
    this.#order = all;
  }

  name(id: number, numeric: boolean): string | undefined {
    this.#load();
    return numeric ? undefined : this.#byId.get(id);
  }

  id(name: string): number | undefined {
    this.#load();
    // iproute2 walks buckets 0..255 and each bucket newest first.
    let best: [number, string] | undefined;
    for (const e of this.#order) {
      if (e[1] !== name) continue;
      if (!best || (e[0] & 255) < (best[0] & 255) || (e[0] & 255) === (best[0] & 255)) best = e;
    }
    return best?.[0];
  }
}

function strtoulWhole(s: string): number | undefined {
  const m = /^\s*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(s);
  if (!m) return undefined;
  const t = m[1];
  return t.startsWith("0x") || t.startsWith("0X")
    ? parseInt(t, 16)
    : t.length > 1 && t[0] === "0"
    ? parseInt(t, 8)
    : Number(t);
}

const PROTOS = new SmallTable(
  {
    0: "unspec",
    1: "redirect",
    2: "kernel",
    3: "boot",
    4: "static",
    8: "gated",
    9: "ra",
    10: "mrt",
    11: "zebra",
    12: "bird",
    42: "babel",
    13: "dnrouted",
    14: "xorp",
    15: "ntk",
    16: "dhcp",
    18: "keepalived",
    186: "bgp",
    187: "isis",
    188: "ospf",
    189: "rip",
    192: "eigrp",
  },
  () => [`${CONFDIR}/rt_protos`, ...confFiles(`${CONFDIR}/rt_protos.d`)],
  (id) => String(id >>> 0),
);

const SCOPES = new SmallTable(
  { 0: "global", 255: "nowhere", 254: "host", 253: "link", 200: "site" },
  () => [`${CONFDIR}/rt_scopes`],
);

const REALMS = new SmallTable({ 0: "unknown" }, () => [`${CONFDIR}/rt_realms`]);

const DSFIELDS = new SmallTable(
  { 0: "0" },
  () => [`${CONFDIR}/rt_dsfield`],
  (id) => "0x" + id.toString(16).padStart(2, "0"),
);

const TABLES = new HashTable(
  [[253, "default"], [254, "main"], [255, "local"]],
  () => [`${CONFDIR}/rt_tables`, ...confFiles(`${CONFDIR}/rt_tables.d`)],
);

const GROUPS = new HashTable([[0, "default"]], () => [`${CONFDIR}/group`]);

/** The 32 protodown reason bits (PROTODOWN_REASON_NUM_BITS), named only by *.conf files. */
const PROTODOWN_REASONS = new SmallTable({}, () => confFiles(`${CONFDIR}/protodown_reasons.d`), String, 32);

/**
 * Route protocol name (rtnl_rtprot_n2a).
 *
 * @example
 * ```ts
 * import { protoName } from "./names.ts";
 * protoName(2, false); // "kernel"
 * ```
 */
export function protoName(id: number, numeric: boolean): string {
  return PROTOS.name(id, numeric);
}

/**
 * Route protocol number of a name or number (rtnl_rtprot_a2n), or undefined.
 *
 * @example
 * ```ts
 * import { protoId } from "./names.ts";
 * protoId("static"); // 4
 * ```
 */
export function protoId(name: string): number | undefined {
  return PROTOS.id(name);
}

/**
 * Scope name (rtnl_rtscope_n2a).
 *
 * @example
 * ```ts
 * import { scopeName } from "./names.ts";
 * scopeName(253, false); // "link"
 * ```
 */
export function scopeName(id: number, numeric: boolean): string {
  return SCOPES.name(id, numeric);
}

/**
 * Scope number of a name or number (rtnl_rtscope_a2n), or undefined.
 *
 * @example
 * ```ts
 * import { scopeId } from "./names.ts";
 * scopeId("host"); // 254
 * ```
 */
export function scopeId(name: string): number | undefined {
  return SCOPES.id(name);
}

/**
 * Realm name (rtnl_rtrealm_n2a).
 *
 * @example
 * ```ts
 * import { realmName } from "./names.ts";
 * realmName(0, false); // "unknown" (or /etc/iproute2/rt_realms' name)
 * ```
 */
export function realmName(id: number, numeric: boolean): string {
  return REALMS.name(id, numeric);
}

/**
 * Realm number of a name (rt_realms read first, as rtnl_rtrealm_a2n) or of a
 * number up to 255, or undefined.
 *
 * @example
 * ```ts
 * import { realmId } from "./names.ts";
 * realmId("7"); // 7
 * ```
 */
export function realmId(name: string): number | undefined {
  return REALMS.id(name);
}

/**
 * iproute2's get_rt_realms_or_raw: `[FROM/]TO` realms (names from rt_realms
 * or numbers up to 255) as `FROM << 16 | TO`, else a raw u32.
 *
 * @example
 * ```ts
 * import { realmsValue } from "./names.ts";
 * realmsValue("3/4"); // 196612
 * ```
 */
export function realmsValue(arg: string): number | undefined {
  const slash = arg.indexOf("/");
  const from = slash < 0 ? 0 : realmId(arg.slice(0, slash));
  const toWord = slash < 0 ? arg : arg.slice(slash + 1);
  const to = toWord === "" ? 0 : realmId(toWord);
  if (from !== undefined && to !== undefined) return ((from << 16) | to) >>> 0;
  return parseUnsigned(arg);
}

/**
 * DS field name (rtnl_dsfield_n2a): a name from rt_dsfield, else `0x%02x`.
 *
 * @example
 * ```ts
 * import { dsfieldName } from "./names.ts";
 * dsfieldName(0x10, true); // "0x10"
 * ```
 */
export function dsfieldName(id: number, numeric: boolean): string {
  if (numeric && id >= 0 && id < 256) return "0x" + id.toString(16).padStart(2, "0");
  return DSFIELDS.name(id, false);
}

/**
 * Table name (rtnl_rttable_n2a).
 *
 * @example
 * ```ts
 * import { tableName } from "./names.ts";
 * tableName(254, false); // "main"
 * tableName(100, false); // "100"
 * ```
 */
export function tableName(id: number, numeric: boolean): string {
  return TABLES.name(id, numeric) ?? String(id >>> 0);
}

/**
 * Table id of a name or number (rtnl_rttable_a2n), or undefined.
 *
 * @example
 * ```ts
 * import { tableId } from "./names.ts";
 * tableId("main"); // 254
 * ```
 */
export function tableId(name: string): number | undefined {
  const id = TABLES.id(name);
  if (id !== undefined) return id;
  const v = strtoulWhole(name);
  return v === undefined || v > 0xffffffff ? undefined : v;
}

/**
 * Device group name (rtnl_group_n2a).
 *
 * @example
 * ```ts
 * import { groupName } from "./names.ts";
 * groupName(0, false); // "default"
 * ```
 */
export function groupName(id: number, numeric: boolean): string {
  return GROUPS.name(id, numeric) ?? String(id | 0);
}

/**
 * Device group number of a name or number (rtnl_group_a2n), or undefined.
 *
 * @example
 * ```ts
 * import { groupId } from "./names.ts";
 * groupId("default"); // 0
 * ```
 */
export function groupId(name: string): number | undefined {
  const id = GROUPS.id(name);
  if (id !== undefined) return id;
  const v = strtoulWhole(name);
  return v === undefined || v > 0x7fffffff ? undefined : v;
}

const RTN_NAMES = [
  "none",
  "unicast",
  "local",
  "broadcast",
  "anycast",
  "multicast",
  "blackhole",
  "unreachable",
  "prohibit",
  "throw",
  "nat",
  "xresolve",
];

/**
 * Route type name (rtnl_rtntype_n2a).
 *
 * @example
 * ```ts
 * import { rtnTypeName } from "./names.ts";
 * rtnTypeName(6, false); // "blackhole"
 * ```
 */
export function rtnTypeName(id: number, numeric: boolean): string {
  return numeric ? String(id) : RTN_NAMES[id] ?? String(id);
}

/**
 * Route type of a word (rtnl_rtntype_a2n, with its abbreviations), or undefined.
 *
 * @example
 * ```ts
 * import { rtnTypeId } from "./names.ts";
 * rtnTypeId("blackhole"); // 6
 * rtnTypeId("unr"); // 7
 * ```
 */
export function rtnTypeId(arg: string): number | undefined {
  const pre = (w: string) => arg.length > 0 && w.startsWith(arg);
  if (arg === "local") return 2;
  if (arg === "nat") return 10;
  if (pre("broadcast") || arg === "brd") return 3;
  if (pre("anycast")) return 4;
  if (pre("multicast")) return 5;
  if (pre("prohibit")) return 8;
  if (pre("unreachable")) return 7;
  if (pre("blackhole")) return 6;
  if (pre("xresolve")) return 11;
  if (pre("unicast")) return 1;
  if (arg === "throw") return 9;
  const v = strtoulWhole(arg);
  return v === undefined || v > 255 ? undefined : v;
}

/**
 * A protodown reason bit's name (protodown_reason_n2a): from
 * /etc/iproute2/protodown_reasons.d/*.conf, else its number.
 *
 * @example
 * ```ts
 * import { protodownReasonName } from "./names.ts";
 * protodownReasonName(3); // "3" (without a name for it)
 * ```
 */
export function protodownReasonName(bit: number): string {
  return PROTODOWN_REASONS.name(bit, false);
}

/**
 * A protodown reason bit of a name or number (protodown_reason_a2n), or
 * undefined (not a name, or not a number below 32).
 *
 * @example
 * ```ts
 * import { protodownReasonId } from "./names.ts";
 * protodownReasonId("0x3"); // 3
 * ```
 */
export function protodownReasonId(arg: string): number | undefined {
  return PROTODOWN_REASONS.id(arg, 31);
}
