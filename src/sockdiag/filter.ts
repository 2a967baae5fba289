/**
 * The inet socket filter as a typed tree — what ss(8)'s filter expression
 * (`'( dport = :ssh or sport = :ssh ) and src 10.0.0.0/8'`) parses into — and
 * a pure JavaScript evaluator of it with the kernel's semantics. The same tree
 * compiles to INET_DIAG_REQ_BYTECODE (see bytecode.ts) so the kernel filters
 * the dump; the evaluator serves sockets that were dumped without byte code
 * (other families, tests checking the kernel by brute force).
 *
 * Leaves are `{ kind: … }`; combinators are `{ and: [...] }`, `{ or: [...] }`
 * and `{ not: … }` (n-ary `and`/`or` fold from the left, as ss(8) parses
 * `a or b or c`).
 *
 * @example
 * ```ts
 * import type { SocketFilter } from "./filter.ts";
 * const ssh: SocketFilter = { or: [{ kind: "dport", op: "=", port: 22 }, { kind: "sport", op: "=", port: 22 }] };
 * ```
 *
 * @module
 */
import { ValidationError } from "../core/errors.ts";
import { AF_INET, AF_INET6, parseIPv4Into, parseIPv6Into, parsePrefix } from "../util/addr.ts";

/** A port comparison of ss(8): `=`, `!=`, `<`, `>`, `<=`, `>=` (also spelled `eq`, `neq`, …, by the CLI). */
export type PortOp = "=" | "!=" | "<" | ">" | "<=" | ">=";

/**
 * `src ADDR[/LEN][:PORT]` / `dst …`: the local (`src`) or remote (`dst`)
 * address within a prefix, and/or the port. With neither, it matches every
 * socket. An IPv4 prefix also matches IPv4-mapped IPv6 addresses (the
 * kernel's rule).
 */
export interface HostFilter {
  /** Local (`src`) or remote (`dst`) end. */
  kind: "src" | "dst";
  /** An address or prefix (`10.0.0.1`, `10.0.0.0/8`, `2001:db8::/32`); absent: any address. */
  address?: string;
  /** The port (0..65535); absent: any port. */
  port?: number;
}

/** `sport OP :PORT` / `dport OP :PORT`: compares the local (`sport`) or remote (`dport`) port. */
export interface PortFilter {
  /** Local (`sport`) or remote (`dport`) port. */
  kind: "sport" | "dport";
  /** The comparison. */
  op: PortOp;
  /** The port, 0..65535. */
  port: number;
}

/** `dev NAME|INDEX`: the device the socket is bound to (SO_BINDTODEVICE). */
export interface DevFilter {
  /** The leaf. */
  kind: "dev";
  /** An ifindex, or a name resolved in the connection's namespace before compiling. */
  dev: number | string;
}

/** `fwmark = MARK[/MASK]`: `(socket mark & mask) == mark` (needs CAP_NET_ADMIN in the kernel). */
export interface MarkFilter {
  /** The leaf. */
  kind: "mark";
  /** The value compared with. */
  mark: number;
  /** The mask applied to the socket's mark first (default 0xffffffff). */
  mask?: number;
}

/** `cgroup PATH`: the socket's cgroup v2 id (ss(8) resolves the path to the id). */
export interface CgroupFilter {
  /** The leaf. */
  kind: "cgroup";
  /** The cgroup v2 id (the inode number of its directory). */
  id: bigint;
}

/** `autobound`: the local port was chosen by the kernel, not bound explicitly. */
export interface AutoboundFilter {
  /** The leaf. */
  kind: "autobound";
}

/** A condition on one socket. */
export type FilterLeaf = HostFilter | PortFilter | DevFilter | MarkFilter | CgroupFilter | AutoboundFilter;

/**
 * A filter tree: a leaf, or `{ and: [...] }` (all hold), `{ or: [...] }`
 * (one holds), `{ not: f }`.
 */
export type SocketFilter = FilterLeaf | { and: readonly SocketFilter[] } | { or: readonly SocketFilter[] } | {
  not: SocketFilter;
};

/** What the evaluator reads of a socket (an {@linkcode InetSocket} has all of it). */
export interface FilterableSocket {
  /** `"inet"` or `"inet6"`. */
  family: string;
  /** Local address. */
  src: string;
  /** Remote address. */
  dst: string;
  /** Local port. */
  sport: number;
  /** Remote port. */
  dport: number;
  /** Bound device (0: none). */
  ifindex: number;
  /** SO_MARK (absent: 0). */
  mark?: number;
  /** cgroup v2 id (absent: 0). */
  cgroupId?: bigint;
}

/** Options of {@linkcode matchesFilter}. */
export interface EvaluateOptions {
  /**
   * `autobound` cannot be seen in a dump (the kernel tests a lock bit it does
   * not report): the evaluator, like ss(8), takes a port in this range as
   * kernel-chosen. Default: Linux's default ip_local_port_range, 32768..60999.
   */
  ephemeralPorts?: readonly [number, number];
}

/**
 * A host condition checked and parsed: family, prefix length and address
 * bytes (16, IPv4 in the first 4), port -1 for any. Shared with the byte-code
 * compiler, which writes exactly these.
 */
export interface HostCondition {
  /** AF_INET, AF_INET6 or 0 (no address). */
  family: number;
  /** Prefix length (0 with no address). */
  prefixLength: number;
  /** Port, or -1 for any. */
  port: number;
  /** Address bytes (4 or 16 used). */
  address: Uint8Array;
}

/**
 * Checks a host leaf and parses its address.
 *
 * @example
 * ```ts
 * import { hostCondition } from "./filter.ts";
 * hostCondition({ kind: "src", address: "10.0.0.0/8", port: 22 }).prefixLength; // 8
 * ```
 */
export function hostCondition(f: HostFilter, path = "filter"): HostCondition {
  const port = f.port === undefined ? -1 : checkPort(f.port, `${path}.port`);
  const address = new Uint8Array(16);
  if (f.address === undefined) return { family: 0, prefixLength: 0, port, address };
  const p = parsePrefix(f.address, `${path}.address`);
  if (p.family === AF_INET) parseIPv4Into(p.address, address, 0);
  else parseIPv6Into(p.address, address, 0);
  return { family: p.family, prefixLength: p.length, port, address };
}

/**
 * Checks a port number (0..65535), throwing a {@linkcode ValidationError} naming `field`.
 *
 * @example
 * ```ts
 * import { checkPort } from "./filter.ts";
 * checkPort(22, "port"); // 22
 * ```
 */
export function checkPort(port: unknown, field: string): number {
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ValidationError(field, port, "expected a port 0..65535");
  }
  return port;
}

/**
 * Whether `socket` passes `filter`, with the kernel's semantics (what the
 * compiled byte code selects). A `dev` leaf must hold an ifindex here.
 *
 * @example
 * ```ts
 * import { matchesFilter } from "./filter.ts";
 * const s = { family: "inet", src: "10.0.0.1", dst: "10.0.0.2", sport: 22, dport: 40000, ifindex: 0 };
 * matchesFilter({ kind: "sport", op: "=", port: 22 }, s); // true
 * ```
 */
export function matchesFilter(filter: SocketFilter, socket: FilterableSocket, options: EvaluateOptions = {}): boolean {
  return compileFilterPredicate(filter, options)(socket);
}

/**
 * Compiles a filter into a predicate, parsing its addresses once (for
 * filtering many sockets).
 *
 * @example
 * ```ts
 * import { compileFilterPredicate } from "./filter.ts";
 * const isSsh = compileFilterPredicate({ kind: "dport", op: "=", port: 22 });
 * isSsh({ family: "inet", src: "10.0.0.1", dst: "10.0.0.2", sport: 40000, dport: 22, ifindex: 0 }); // true
 * ```
 */
export function compileFilterPredicate(
  filter: SocketFilter,
  options: EvaluateOptions = {},
): (socket: FilterableSocket) => boolean {
  const [lo, hi] = options.ephemeralPorts ?? [32768, 60999];
  const build = (f: SocketFilter, path: string): (s: FilterableSocket) => boolean => {
    if ("and" in f) {
      const parts = f.and.map((x, i) => build(x, `${path}.and[${i}]`));
      return (s) => parts.every((p) => p(s));
    }
    if ("or" in f) {
      const parts = f.or.map((x, i) => build(x, `${path}.or[${i}]`));
      return (s) => parts.some((p) => p(s));
    }
    if ("not" in f) {
      const inner = build(f.not, `${path}.not`);
      return (s) => !inner(s);
    }
    switch (f.kind) {
      case "src":
      case "dst": {
        const c = hostCondition(f, path);
        const local = f.kind === "src";
        return (s) => hostMatches(c, s.family, local ? s.src : s.dst, local ? s.sport : s.dport);
      }
      case "sport":
      case "dport": {
        const port = checkPort(f.port, `${path}.port`);
        const local = f.kind === "sport";
        const cmp = portComparison(f.op, port, path);
        return (s) => cmp(local ? s.sport : s.dport);
      }
      case "dev": {
        if (typeof f.dev !== "number") {
          throw new ValidationError(`${path}.dev`, f.dev, "resolve the device name to an ifindex first");
        }
        const dev = f.dev;
        return (s) => s.ifindex === dev;
      }
      case "mark": {
        const mask = f.mask ?? 0xffffffff;
        return (s) => (((s.mark ?? 0) & mask) >>> 0) === f.mark >>> 0;
      }
      case "cgroup":
        return (s) => (s.cgroupId ?? 0n) === f.id;
      case "autobound":
        return (s) => s.sport >= lo && s.sport <= hi;
      default:
        throw new ValidationError(path, f, "expected a filter leaf, and, or, or not");
    }
  };
  return build(filter, "filter");
}

function portComparison(op: PortOp, port: number, path: string): (p: number) => boolean {
  switch (op) {
    case "=":
      return (p) => p === port;
    case "!=":
      return (p) => p !== port;
    case "<":
      return (p) => p < port;
    case ">":
      return (p) => p > port;
    case "<=":
      return (p) => p <= port;
    case ">=":
      return (p) => p >= port;
    default:
      throw new ValidationError(`${path}.op`, op, "expected =, !=, <, >, <= or >=");
  }
}

const SCRATCH = new Uint8Array(16);

/** The kernel's host condition (net/ipv4/inet_diag.c): port, then prefix, IPv4 rules matching v4-mapped IPv6. */
function hostMatches(c: HostCondition, family: string, address: string, port: number): boolean {
  if (c.port !== -1 && c.port !== port) return false;
  if (c.prefixLength === 0) return true;
  const fam = family === "inet6" ? AF_INET6 : AF_INET;
  SCRATCH.fill(0);
  if (fam === AF_INET) parseIPv4Into(address, SCRATCH, 0);
  else parseIPv6Into(address, SCRATCH, 0);
  if (c.family !== fam) {
    if (fam !== AF_INET6 || c.family !== AF_INET) return false;
    const mapped = SCRATCH.subarray(0, 10).every((x) => x === 0) && SCRATCH[10] === 0xff && SCRATCH[11] === 0xff;
    return mapped && prefixMatches(SCRATCH, 12, c.address, c.prefixLength);
  }
  return prefixMatches(SCRATCH, 0, c.address, c.prefixLength);
}

function prefixMatches(a: Uint8Array, off: number, p: Uint8Array, bits: number): boolean {
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (a[off + i] !== p[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (a[off + whole] & mask) === (p[whole] & mask);
}
