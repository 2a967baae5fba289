/**
 * ss(8)'s filter expression: `'( dport = :ssh or sport = :ssh ) and src 10.0.0.0/8'`,
 * parsed the way ss parses it (words split on blanks, `and`/`or`/juxtaposition
 * folding strictly from the left, `not` binding one term), into a tree that
 * becomes the library's typed filter for inet dumps and is also evaluated in
 * user space, as ss does for every socket it prints.
 *
 * @module
 */
import type { SocketFilter } from "@nlink/nlink/sockdiag";
import { UsageError } from "../common/args.ts";
import { AF_INET, AF_INET6, AF_UNSPEC, parseInteger, parseUnsigned, prefixText, readPrefix } from "../common/inet.ts";
import { netlinkProtocolNumber, servicePort } from "./names.ts";
import { globRegex } from "../common/glob.ts";

/** Socket families, as ss numbers them. */
export const AF = { UNIX: 1, INET: 2, INET6: 10, NETLINK: 16, PACKET: 17, TIPC: 30, VSOCK: 40, XDP: 44 } as const;

/** A `src`/`dst` (or `sport =`/`dport =`) condition. */
export interface HostCond {
  /** AF_UNSPEC, inet, inet6, unix, packet, netlink, vsock. */
  family: number;
  /** inet: the prefix as the library takes it (absent: any address). */
  prefix?: string;
  /** unix: a glob on the name; packet/netlink/vsock: the protocol or cid. */
  pattern?: string;
  /** packet/netlink/vsock: the number the address names (absent: any). */
  number?: number;
  /** The port, or -1 for any. */
  port: number;
}

/** The parsed expression. */
export type Expr =
  | { t: "and" | "or"; a: Expr; b: Expr }
  | { t: "not"; a: Expr }
  | { t: "src" | "dst"; host: HostCond }
  | { t: "sport" | "dport"; op: "=" | "!=" | "<" | ">" | "<=" | ">="; port: number }
  | { t: "dev"; index: number }
  | { t: "mark"; mark: number; mask: number }
  | { t: "cgroup"; id: bigint }
  | { t: "auto" };

/** What host conditions need from the rest of the command line. */
export interface ParseContext {
  /** ss's preferred_family: the last family option given. */
  preferredFamily: number;
  /** Whether the TCP / UDP tables are shown (service names are looked up for them). */
  tcp: boolean;
  udp: boolean;
  /** A device name → ifindex (0 when unknown). */
  devIndex: (name: string) => Promise<number>;
  /** A cgroup path → id (0 when it cannot be found). */
  cgroupId: (path: string) => bigint;
  /** Called when a host condition names a family: the families shown become that one. */
  restrictFamily: (family: number) => void;
}

/** The expression does not parse (ss then prints bison's complaint and its usage). */
export class FilterSyntaxError extends Error {
  /** The error. */
  constructor() {
    super("syntax error");
    this.name = "FilterSyntaxError";
  }
}

type Token = "(" | ")" | "!" | "&" | "|" | "=" | "<" | ">" | "<=" | ">=" | "!=" | { word: string };

const OPS: Record<string, Token> = {
  "!": "!",
  not: "!",
  "&": "&",
  "&&": "&",
  and: "&",
  "|": "|",
  "||": "|",
  or: "|",
  "(": "(",
  ")": ")",
  ">=": ">=",
  ge: ">=",
  geq: ">=",
  "<=": "<=",
  le: "<=",
  leq: "<=",
  "!=": "!=",
  ne: "!=",
  neq: "!=",
  "=": "=",
  "==": "=",
  eq: "=",
  ">": ">",
  gt: ">",
  "<": "<",
  lt: "<",
};

/** Splits the arguments on blanks, with backslash escapes, as ss's lexer does. */
function words(args: string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    let cur = "", has = false;
    for (let i = 0; i < arg.length; i++) {
      const c = arg[i];
      if (c === " " || c === "\t") {
        if (has) out.push(cur);
        cur = "";
        has = false;
      } else if (c === "\\" && i + 1 < arg.length) {
        cur += arg[++i];
        has = true;
      } else {
        cur += c;
        has = true;
      }
    }
    if (has) out.push(cur);
  }
  return out;
}

const KEYWORDS = new Set(["dst", "src", "dport", "sport", "dev", "fwmark", "cgroup", "autobound"]);

/**
 * Parses a filter expression (the words after the state selection); undefined
 * when there is none. Errors are ss's messages and exit codes.
 */
export async function parseFilter(args: string[], ctx: ParseContext): Promise<Expr | undefined> {
  const ws = words(args);
  if (ws.length === 0) return undefined;
  let pos = 0;
  let keyword = "";
  const peek = (): string | undefined => ws[pos];
  const syntax = (): never => {
    throw new FilterSyntaxError();
  };
  const op = (w: string | undefined): Token | undefined => (w === undefined ? undefined : OPS[w]);

  const value = async (): Promise<{ kind: string; v: unknown }> => {
    const w = ws[pos++];
    if (w === undefined) syntax();
    if (op(w) !== undefined || KEYWORDS.has(w)) syntax();
    if (keyword === "dev") {
      let index = await ctx.devIndex(w);
      if (index === 0) {
        const n = parseUnsigned(w);
        if (n === undefined) throw new UsageError("Cannot parse device.", 1);
        index = n;
      }
      return { kind: "dev", v: index };
    }
    if (keyword === "fwmark") {
      const m = /^(0x[0-9a-f]+|\d+)(?:\/(0x[0-9a-f]+|\d+))?$/i.exec(w);
      if (!m) throw new UsageError(`Cannot parse mark ${w}.`, 1);
      return { kind: "mark", v: [Number(m[1]) >>> 0, m[2] === undefined ? 0xffffffff : Number(m[2]) >>> 0] };
    }
    if (keyword === "cgroup") {
      const id = ctx.cgroupId(w);
      if (id === 0n) throw new UsageError(`Cannot parse cgroup ${w}.`, 1);
      return { kind: "cgroup", v: id };
    }
    return { kind: "host", v: parseHost(w, keyword === "sport" || keyword === "dport", ctx) };
  };

  const expr = async (): Promise<Expr> => {
    const w = peek();
    if (w === undefined) syntax();
    const o = op(w);
    if (o === "(") {
      pos++;
      const e = await list();
      if (op(peek()) !== ")") syntax();
      pos++;
      return e;
    }
    if (o === "!") {
      pos++;
      return { t: "not", a: await expr() };
    }
    if (o !== undefined) syntax();
    pos++;
    keyword = w!;
    switch (w) {
      case "autobound":
        return { t: "auto" };
      case "src":
      case "dst": {
        if (op(peek()) === "=") pos++;
        const { v } = await value();
        return { t: w, host: v as HostCond };
      }
      case "sport":
      case "dport": {
        let cmp = op(peek());
        if (cmp === "=" || cmp === "!=" || cmp === "<" || cmp === ">" || cmp === "<=" || cmp === ">=") pos++;
        else cmp = "=";
        const host = (await value()).v as HostCond;
        if ((cmp === "=" || cmp === "!=") && host.port === -1) {
          const cond: Expr = { t: w === "sport" ? "src" : "dst", host };
          return cmp === "=" ? cond : { t: "not", a: cond };
        }
        return { t: w, op: cmp as "=", port: host.port };
      }
      case "dev":
      case "fwmark":
      case "cgroup": {
        const cmp = op(peek());
        if (cmp === "=" || cmp === "!=") pos++;
        else if (cmp !== undefined) syntax();
        const { kind, v } = await value();
        let e: Expr;
        if (kind === "dev") e = { t: "dev", index: v as number };
        else if (kind === "mark") e = { t: "mark", mark: (v as number[])[0], mask: (v as number[])[1] };
        else e = { t: "cgroup", id: v as bigint };
        return cmp === "!=" ? { t: "not", a: e } : e;
      }
    }
    // ss's lexer reads any other word as an address (parse_hostcond) before the grammar refuses it there: a word
    // that is no address fails with the address's error first.
    parseHost(w!, false, ctx);
    syntax();
    throw new Error("unreachable");
  };

  const list = async (): Promise<Expr> => {
    let left = await expr();
    for (;;) {
      const w = peek();
      if (w === undefined) return left;
      const o = op(w);
      if (o === ")") return left;
      if (o === "|" || o === "&") {
        pos++;
        left = { t: o === "|" ? "or" : "and", a: left, b: await expr() };
      } else left = { t: "and", a: left, b: await expr() };
    }
  };

  const e = await list();
  if (pos < ws.length) syntax();
  return e;
}

const FAMILY_PREFIXES: [string, number][] = [
  ["unix:", AF.UNIX],
  ["link:", AF.PACKET],
  ["netlink:", AF.NETLINK],
  ["vsock:", AF.VSOCK],
  ["inet:", AF.INET],
  ["inet6:", AF.INET6],
];

/** ss's parse_hostcond: `[FAMILY:]ADDR[/LEN][:PORT]`, `[ADDR]:PORT`, `*:PORT`, or a port alone. */
function parseHost(word: string, isPort: boolean, ctx: ParseContext): HostCond {
  let fam = ctx.preferredFamily;
  let addr = word;
  for (const [prefix, f] of FAMILY_PREFIXES) {
    if (addr.startsWith(prefix)) {
      fam = f;
      addr = addr.slice(prefix.length);
      break;
    }
  }
  const bad = (): never => {
    throw new UsageError("Cannot parse dst/src address.", 1);
  };
  const host: HostCond = { family: fam, port: -1 };
  if (fam === AF.UNIX) {
    host.pattern = addr;
  } else if (fam === AF.PACKET || fam === AF.NETLINK || fam === AF.VSOCK) {
    const colon = isPort ? 0 : addr.indexOf(":");
    let port: string | undefined;
    if (isPort) port = addr.startsWith(":") ? addr.slice(1) : addr;
    else if (colon >= 0) {
      port = addr.slice(colon + 1);
      addr = addr.slice(0, colon);
    }
    if (port !== undefined && port !== "" && port !== "*") {
      const n = parseInteger(port);
      if (n !== undefined) host.port = n;
      else if (fam === AF.NETLINK && port === "kernel") host.port = 0;
      else bad();
    }
    if (!isPort && addr !== "" && addr !== "*") {
      const n = fam === AF.NETLINK ? netlinkProtocolNumber(addr) : parseUnsigned(addr);
      if (n === undefined) bad();
      host.number = n;
    }
  } else {
    let port: string | undefined;
    if (addr.startsWith("[")) {
      const close = addr.indexOf("]");
      if (close < 0) bad();
      port = addr.slice(close + 1);
      addr = addr.slice(1, close);
    } else if (addr.startsWith("*")) {
      port = addr.slice(1);
      addr = "*";
    } else {
      const slash = addr.indexOf("/");
      const colon = addr.lastIndexOf(":");
      if (colon >= 0 && colon > slash) {
        port = addr.slice(colon);
        addr = addr.slice(0, colon);
      }
    }
    if (isPort) {
      port = word;
      addr = "";
    }
    if (port) {
      if (port.startsWith(":")) port = port.slice(1);
      if (port !== "" && port[0] !== "*") host.port = parsePort(port, ctx);
    }
    if (!isPort && addr !== "" && addr[0] !== "*") {
      const p = readPrefix(addr, fam === AF.INET || fam === AF.INET6 ? fam : AF_UNSPEC);
      if (!p) {
        console.error(`Error: an inet prefix is expected rather than "${addr}".`);
        bad();
      }
      if (p!.bitlen > 0 && (p!.family === AF_INET || p!.family === AF_INET6)) host.prefix = prefixText(p!);
    }
  }
  if (fam !== AF_UNSPEC) ctx.restrictFamily(fam);
  return host;
}

function parsePort(port: string, ctx: ParseContext): number {
  const n = parseInteger(port);
  if (n !== undefined) return n;
  const udp = ctx.udp ? servicePort(port, "udp") : undefined;
  const tcp = ctx.tcp ? servicePort(port, "tcp") : undefined;
  if (udp !== undefined && tcp !== undefined && udp !== tcp) {
    console.error(`Error: ambiguous port "${port}".`);
    throw new UsageError("Cannot parse dst/src address.", 1);
  }
  const p = udp ?? tcp;
  if (p === undefined) {
    console.error(`Error: "${port}" does not look like a port.`);
    throw new UsageError("Cannot parse dst/src address.", 1);
  }
  return p;
}

/**
 * The library's filter tree for an inet dump. Ports out of range (ss accepts
 * any int) cannot be said to the kernel: the dump then goes unfiltered and
 * the user-space check decides.
 */
export function toSocketFilter(e: Expr): SocketFilter | undefined {
  switch (e.t) {
    case "and":
    case "or": {
      const a = toSocketFilter(e.a), b = toSocketFilter(e.b);
      if (a === undefined || b === undefined) return undefined;
      return e.t === "and" ? { and: [a, b] } : { or: [a, b] };
    }
    case "not": {
      const a = toSocketFilter(e.a);
      return a === undefined ? undefined : { not: a };
    }
    case "src":
    case "dst": {
      const h = e.host;
      if (h.family !== AF_UNSPEC && h.family !== AF.INET && h.family !== AF.INET6) return undefined;
      if (h.port !== -1 && (h.port < 0 || h.port > 65535)) return undefined;
      return {
        kind: e.t,
        ...(h.prefix !== undefined ? { address: h.prefix } : {}),
        ...(h.port !== -1 ? { port: h.port } : {}),
      };
    }
    case "sport":
    case "dport":
      if (e.port < 0 || e.port > 65535) return undefined;
      return { kind: e.t, op: e.op, port: e.port };
    case "dev":
      return { kind: "dev", dev: e.index };
    case "mark":
      return { kind: "mark", mark: e.mark, mask: e.mask };
    case "cgroup":
      return { kind: "cgroup", id: e.id };
    case "auto":
      return { kind: "autobound" };
  }
}

/** What the user-space check of a non-inet socket reads (ss's struct sockstat). */
export interface PlainSocket {
  family: number;
  /** Local "port": the inode (unix), the device (packet), the port id (netlink). */
  lport: number;
  rport: number;
  /** unix: the name (undefined: unbound). */
  name?: string;
  /** unix: the peer's name. */
  peerName?: string;
  /** packet/netlink: the protocol; vsock: the cid. */
  number?: number;
  remoteNumber?: number;
  iface?: number;
  mark?: number;
}

/** ss's run_ssfilter for the families it filters in user space only. */
export function matchesPlain(e: Expr, s: PlainSocket, ephemeral: [number, number]): boolean {
  switch (e.t) {
    case "and":
      return matchesPlain(e.a, s, ephemeral) && matchesPlain(e.b, s, ephemeral);
    case "or":
      return matchesPlain(e.a, s, ephemeral) || matchesPlain(e.b, s, ephemeral);
    case "not":
      return !matchesPlain(e.a, s, ephemeral);
    case "src":
    case "dst": {
      const local = e.t === "src";
      const h = e.host;
      if (h.family === AF.UNIX) {
        const name = (local ? s.name : s.peerName) ?? "";
        return h.pattern === undefined || globRegex(h.pattern, true).test(name);
      }
      if (h.port !== -1 && h.port !== (local ? s.lport : s.rport)) return false;
      if (h.number !== undefined) return h.number === (local ? s.number : s.remoteNumber);
      return true;
    }
    case "sport":
    case "dport": {
      const p = e.t === "sport" ? s.lport : s.rport;
      switch (e.op) {
        case "=":
          return p === e.port;
        case "!=":
          return p !== e.port;
        case "<":
          return !(p >= e.port);
        case ">":
          return !(p <= e.port);
        case "<=":
          return p <= e.port;
        case ">=":
          return p >= e.port;
      }
      return false;
    }
    case "dev":
      return (s.iface ?? 0) === e.index;
    case "mark":
      return (((s.mark ?? 0) & e.mask) >>> 0) === e.mark;
    case "cgroup":
      return e.id === 0n;
    case "auto":
      if (s.family === AF.UNIX) return s.name === undefined || /^@[0-9a-f]{5}$/.test(s.name);
      if (s.family === AF.PACKET) return s.lport === 0 && (s.number ?? 0) === 0;
      if (s.family === AF.NETLINK) return (s.lport | 0) < 0;
      if (s.family === AF.VSOCK) return s.lport > 1023;
      return s.lport >= ephemeral[0] && s.lport <= ephemeral[1];
  }
}

export { AF_INET, AF_INET6, AF_UNSPEC };
