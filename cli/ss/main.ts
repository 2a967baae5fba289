/**
 * `ss`: socket statistics, as iproute2 6.1's ss(8) — the same options, state
 * selection and filter expression, and the same column output — on nlink's
 * socket-diagnostics library. iproute2 6.1's ss has no JSON output (`-j` is
 * an invalid option there, and here).
 *
 * @module
 */
import { ownSocketInodes } from "./own_sockets.ts";
import { NetlinkError } from "@nlink/nlink/core";
import { type InetSocket, SockDiagConnection, type SockDiagGroup } from "@nlink/nlink/sockdiag";
import { UsageError } from "../common/args.ts";
import { report } from "../common/errors.ts";
import type { SsContext, SsOptions } from "./context.ts";
import { AF, type Expr, FilterSyntaxError, parseFilter, toSocketFilter } from "./filter.ts";
import { inetCheck, type InetShow, showInet } from "./inet.ts";
import { ephemeralRange, socketUsers } from "./names.ts";
import { type OtherShow, showNetlink, showPacket, showUnix, showVsock, showXdp } from "./others.ts";
import { Col, Renderer } from "./render.ts";
import { cgroupIdOf, cgroupPathResolver } from "./cgroup.ts";

const USAGE = `Usage: ss [ OPTIONS ]
       ss [ OPTIONS ] [ FILTER ]
   -h, --help          this message
   -V, --version       output version information
   -n, --numeric       don't resolve service names
   -r, --resolve       resolve host names
   -a, --all           display all sockets
   -l, --listening     display listening sockets
   -o, --options       show timer information
   -e, --extended      show detailed socket information
   -m, --memory        show socket memory usage
   -p, --processes     show process using socket
   -T, --threads       show thread using socket
   -i, --info          show internal TCP information
       --tipcinfo      show internal tipc socket information
   -s, --summary       show socket usage summary
       --tos           show tos and priority information
       --cgroup        show cgroup information
   -b, --bpf           show bpf filter socket information
   -E, --events        continually display sockets as they are destroyed
   -Z, --context       display task SELinux security contexts
   -z, --contexts      display task and socket SELinux security contexts
   -N, --net           switch to the specified network namespace name

   -4, --ipv4          display only IP version 4 sockets
   -6, --ipv6          display only IP version 6 sockets
   -0, --packet        display PACKET sockets
   -t, --tcp           display only TCP sockets
   -M, --mptcp         display only MPTCP sockets
   -S, --sctp          display only SCTP sockets
   -u, --udp           display only UDP sockets
   -d, --dccp          display only DCCP sockets
   -w, --raw           display only RAW sockets
   -x, --unix          display only Unix domain sockets
       --tipc          display only TIPC sockets
       --vsock         display only vsock sockets
       --xdp           display only XDP sockets
   -f, --family=FAMILY display sockets of type FAMILY
       FAMILY := {inet|inet6|link|unix|netlink|vsock|tipc|xdp|help}

   -K, --kill          forcibly close sockets, display what was closed
   -H, --no-header     Suppress header line
   -O, --oneline       socket's data printed on a single line
       --inet-sockopt  show various inet socket options

   -A, --query=QUERY, --socket=QUERY
       QUERY := {all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|packet_raw|packet_dgram|netlink|dccp|sctp|vsock_stream|vsock_dgram|tipc|xdp}[,QUERY]

   -D, --diag=FILE     Dump raw information about TCP sockets to FILE
   -F, --filter=FILE   read filter information from FILE
       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]
       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}
         TCP-STATES := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|closed|close-wait|last-ack|listening|closing}
          connected := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
       synchronized := {established|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
             bucket := {syn-recv|time-wait}
                big := {established|syn-sent|fin-wait-{1,2}|closed|close-wait|last-ack|listening|closing}
`;

// ---------------------------------------------------------- tables and states

/** ss's socket tables (its *_DB numbers). */
const DB = {
  TCP: 0,
  MPTCP: 1,
  DCCP: 2,
  UDP: 3,
  RAW: 4,
  UNIX_DG: 5,
  UNIX_ST: 6,
  UNIX_SQ: 7,
  PACKET_DG: 8,
  PACKET_R: 9,
  NETLINK: 10,
  SCTP: 11,
  VSOCK_ST: 12,
  VSOCK_DG: 13,
  TIPC: 14,
  XDP: 15,
} as const;
const MAX_DB = 16;

const SS = { ESTABLISHED: 1, SYN_SENT: 2, SYN_RECV: 3, TIME_WAIT: 6, CLOSE: 7, LISTEN: 10 } as const;
const SS_ALL = (1 << 12) - 1;
const SS_CONN = SS_ALL & ~((1 << SS.LISTEN) | (1 << SS.CLOSE) | (1 << SS.TIME_WAIT) | (1 << SS.SYN_RECV));
const TIPC_SS_CONN = (1 << SS.ESTABLISHED) | (1 << SS.LISTEN) | (1 << SS.CLOSE);
const INET_FAMS = [AF.INET, AF.INET6];

/** Each table's default states and families. */
const DB_DEFAULTS: { states: number; families: number[] }[] = [
  { states: SS_CONN, families: INET_FAMS },
  { states: SS_CONN, families: INET_FAMS },
  { states: SS_CONN, families: INET_FAMS },
  { states: 1 << SS.ESTABLISHED, families: INET_FAMS },
  { states: 1 << SS.ESTABLISHED, families: INET_FAMS },
  { states: 1 << SS.CLOSE, families: [AF.UNIX] },
  { states: SS_CONN, families: [AF.UNIX] },
  { states: SS_CONN, families: [AF.UNIX] },
  { states: 1 << SS.CLOSE, families: [AF.PACKET] },
  { states: 1 << SS.CLOSE, families: [AF.PACKET] },
  { states: 1 << SS.CLOSE, families: [AF.NETLINK] },
  { states: SS_CONN, families: INET_FAMS },
  { states: SS_CONN, families: [AF.VSOCK] },
  { states: SS_CONN, families: [AF.VSOCK] },
  { states: TIPC_SS_CONN, families: [AF.TIPC] },
  { states: 1 << SS.CLOSE, families: [AF.XDP] },
];

const INET_DBS = [DB.UDP, DB.DCCP, DB.TCP, DB.MPTCP, DB.SCTP, DB.RAW];
const UNIX_DBS = [DB.UNIX_ST, DB.UNIX_DG, DB.UNIX_SQ];
const PACKET_DBS = [DB.PACKET_R, DB.PACKET_DG];

/** Each family's default tables and states. */
const AF_DEFAULTS: Record<number, { dbs: number[]; states: number }> = {
  [AF.INET]: { dbs: INET_DBS, states: SS_CONN },
  [AF.INET6]: { dbs: INET_DBS, states: SS_CONN },
  [AF.UNIX]: { dbs: UNIX_DBS, states: SS_CONN },
  [AF.PACKET]: { dbs: PACKET_DBS, states: 1 << SS.CLOSE },
  [AF.NETLINK]: { dbs: [DB.NETLINK], states: 1 << SS.CLOSE },
  [AF.VSOCK]: { dbs: [DB.VSOCK_ST, DB.VSOCK_DG], states: SS_CONN },
  [AF.TIPC]: { dbs: [DB.TIPC], states: TIPC_SS_CONN },
  [AF.XDP]: { dbs: [DB.XDP], states: 1 << SS.CLOSE },
};

/** `-A` words → tables. */
const QUERIES: Record<string, number[]> = {
  all: [
    DB.UDP,
    DB.DCCP,
    DB.TCP,
    DB.MPTCP,
    DB.RAW,
    DB.UNIX_ST,
    DB.UNIX_DG,
    DB.UNIX_SQ,
    DB.PACKET_R,
    DB.PACKET_DG,
    DB.NETLINK,
    DB.SCTP,
    DB.VSOCK_ST,
    DB.VSOCK_DG,
    DB.XDP,
  ],
  inet: [DB.UDP, DB.DCCP, DB.TCP, DB.MPTCP, DB.SCTP, DB.RAW],
  udp: [DB.UDP],
  dccp: [DB.DCCP],
  tcp: [DB.TCP],
  mptcp: [DB.MPTCP],
  sctp: [DB.SCTP],
  raw: [DB.RAW],
  unix: [DB.UNIX_ST, DB.UNIX_DG, DB.UNIX_SQ],
  unix_stream: [DB.UNIX_ST],
  u_str: [DB.UNIX_ST],
  unix_dgram: [DB.UNIX_DG],
  u_dgr: [DB.UNIX_DG],
  unix_seqpacket: [DB.UNIX_SQ],
  u_seq: [DB.UNIX_SQ],
  packet: [DB.PACKET_R, DB.PACKET_DG],
  packet_raw: [DB.PACKET_R],
  p_raw: [DB.PACKET_R],
  packet_dgram: [DB.PACKET_DG],
  p_dgr: [DB.PACKET_DG],
  netlink: [DB.NETLINK],
  tipc: [DB.TIPC],
  vsock: [DB.VSOCK_ST, DB.VSOCK_DG],
  vsock_stream: [DB.VSOCK_ST],
  v_str: [DB.VSOCK_ST],
  vsock_dgram: [DB.VSOCK_DG],
  v_dgr: [DB.VSOCK_DG],
  xdp: [DB.XDP],
};

const FAMILY_NAMES: Record<string, number> = {
  inet: AF.INET,
  inet6: AF.INET6,
  link: AF.PACKET,
  unix: AF.UNIX,
  netlink: AF.NETLINK,
  tipc: AF.TIPC,
  vsock: AF.VSOCK,
  xdp: AF.XDP,
};

/** ss's struct filter, with its do_default and preferred_family. */
class Selection {
  dbs = 0;
  states = 0;
  families = new Set<number>();
  doDefault = true;
  preferredFamily = 0;

  setDb(db: number, enable: boolean): void {
    if (enable) {
      this.states |= DB_DEFAULTS[db].states;
      this.dbs |= 1 << db;
    } else this.dbs &= ~(1 << db);
    this.doDefault = false;
  }

  parseDb(word: string): boolean {
    const enable = !word.startsWith("!");
    const list = QUERIES[enable ? word : word.slice(1)];
    if (!list) return false;
    for (const db of list) this.setDb(db, enable);
    return true;
  }

  setFamily(af: number): void {
    this.states |= AF_DEFAULTS[af]?.states ?? 0;
    this.families.add(af);
    this.doDefault = false;
    this.preferredFamily = af;
  }

  setStates(states: number): void {
    if (states) this.states = states;
  }

  mergeDefaults(): void {
    for (let db = 0; db < MAX_DB; db++) {
      if (!(this.dbs & (1 << db))) continue;
      if (!DB_DEFAULTS[db].families.some((f) => this.families.has(f))) {
        for (const f of DB_DEFAULTS[db].families) this.families.add(f);
      }
    }
    for (const af of [...this.families]) {
      const d = AF_DEFAULTS[af];
      if (d && !d.dbs.some((db) => this.dbs & (1 << db))) { for (const db of d.dbs) this.dbs |= 1 << db; }
    }
  }

  has(db: number): boolean {
    return (this.dbs & (1 << db)) !== 0;
  }
}

const STATE_WORDS = [
  "UNKNOWN",
  "established",
  "syn-sent",
  "syn-recv",
  "fin-wait-1",
  "fin-wait-2",
  "time-wait",
  "unconnected",
  "close-wait",
  "last-ack",
  "listening",
  "closing",
];

/** scan_state: a state or group name → its mask. */
function scanState(word: string): number {
  const w = word.toLowerCase();
  if (w === "close" || w === "closed") return 1 << SS.CLOSE;
  if (w === "syn-rcv") return 1 << SS.SYN_RECV;
  if (w === "established") return 1 << SS.ESTABLISHED;
  if (w === "all") return SS_ALL;
  if (w === "connected") return SS_ALL & ~((1 << SS.CLOSE) | (1 << SS.LISTEN));
  if (w === "synchronized") return SS_ALL & ~((1 << SS.CLOSE) | (1 << SS.LISTEN) | (1 << SS.SYN_SENT));
  if (w === "bucket") return (1 << SS.SYN_RECV) | (1 << SS.TIME_WAIT);
  if (w === "big") return SS_ALL & ~((1 << SS.SYN_RECV) | (1 << SS.TIME_WAIT));
  const i = STATE_WORDS.findIndex((s) => s.toLowerCase() === w);
  if (i >= 0) return 1 << i;
  throw new UsageError(`ss: wrong state name: ${word}`, 255);
}

// ------------------------------------------------------------------- options

interface LongOption {
  name: string;
  arg: boolean;
  key: string;
}

const LONG: LongOption[] = [
  ["numeric", "n"],
  ["resolve", "r"],
  ["options", "o"],
  ["extended", "e"],
  ["memory", "m"],
  ["info", "i"],
  ["processes", "p"],
  ["threads", "T"],
  ["bpf", "b"],
  ["events", "E"],
  ["dccp", "d"],
  ["tcp", "t"],
  ["sctp", "S"],
  ["udp", "u"],
  ["raw", "w"],
  ["unix", "x"],
  ["tipc", "tipc"],
  ["vsock", "vsock"],
  ["all", "a"],
  ["listening", "l"],
  ["ipv4", "4"],
  ["ipv6", "6"],
  ["packet", "0"],
  ["family", "f", true],
  ["socket", "A", true],
  ["query", "A", true],
  ["summary", "s"],
  ["diag", "D", true],
  ["filter", "F", true],
  ["version", "V"],
  ["help", "h"],
  ["context", "Z"],
  ["contexts", "z"],
  ["net", "N", true],
  ["tipcinfo", "tipcinfo"],
  ["tos", "tos"],
  ["cgroup", "cgroup"],
  ["kill", "K"],
  ["no-header", "H"],
  ["xdp", "xdp"],
  ["mptcp", "M"],
  ["oneline", "O"],
  ["inet-sockopt", "inet-sockopt"],
].map(([name, key, arg]) => ({ name: name as string, key: key as string, arg: arg === true }));

const SHORT = "dhaletuwxnro460spTbEf:mMiA:D:F:vVzZN:KHSO";

/** The usage text on stderr, exit 255 (after `before`, printed without a newline). */
function usage(before = ""): UsageError {
  Deno.stderr.writeSync(new TextEncoder().encode(before + USAGE));
  return new UsageError("", 255, true);
}

/** getopt_long with GNU's argument permutation: options and the other words, in order. */
function* getopt(args: string[]): Generator<{ key: string; value?: string } | { word: string }> {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      for (const w of args.slice(i + 1)) yield { word: w };
      return;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const exact = LONG.find((o) => o.name === name);
      const found = exact ? [exact] : LONG.filter((o) => o.name.startsWith(name));
      const keys = new Set(found.map((o) => o.key));
      if (found.length === 0 || keys.size > 1) {
        throw usage(
          found.length === 0
            ? `ss: unrecognized option '${a}'\n`
            : `ss: option '${a}' is ambiguous; possibilities:${found.map((o) => ` '--${o.name}'`).join("")}\n`,
        );
      }
      const o = found[0];
      if (o.arg) {
        let value = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (value === undefined) throw usage(`ss: option '--${o.name}' requires an argument\n`);
        value ??= "";
        yield { key: o.key, value };
      } else {
        if (eq >= 0) throw usage(`ss: option '--${o.name}' doesn't allow an argument\n`);
        yield { key: o.key };
      }
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const at = SHORT.indexOf(c);
        if (at < 0 || c === ":") throw usage(`ss: invalid option -- '${c}'\n`);
        if (SHORT[at + 1] === ":") {
          let value = a.slice(j + 1);
          if (value === "") {
            if (i + 1 >= args.length) throw usage(`ss: option requires an argument -- '${c}'\n`);
            value = args[++i];
          }
          yield { key: c, value };
          break;
        }
        yield { key: c };
      }
      continue;
    }
    yield { word: a };
  }
}

// ---------------------------------------------------------------------- main

/**
 * Runs `ss ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { main } from "./main.ts";
 * await main(["-tan", "state", "established"]);
 * ```
 */
export async function main(args: string[]): Promise<number> {
  const out = new Output();
  try {
    return await run(args, out);
  } catch (e) {
    out.flush();
    if (e instanceof FilterSyntaxError) {
      usage('ss: bison bellows (while parsing filter): "syntax error!" Sorry.\n');
      return 255;
    }
    return report(e);
  } finally {
    out.flush();
  }
}

/** Buffered stdout (ss writes through stdio). */
class Output {
  #parts: string[] = [];
  #size = 0;
  write(text: string): void {
    this.#parts.push(text);
    this.#size += text.length;
    if (this.#size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.#parts.length === 0) return;
    const bytes = new TextEncoder().encode(this.#parts.join(""));
    this.#parts = [];
    this.#size = 0;
    let off = 0;
    while (off < bytes.length) off += Deno.stdout.writeSync(bytes.subarray(off));
  }
}

async function run(args: string[], out: Output): Promise<number> {
  const opts: SsOptions = {
    numeric: false,
    resolve: false,
    showOptions: false,
    details: 0,
    processes: false,
    threads: false,
    events: false,
    mem: false,
    tcpInfo: false,
    bpf: false,
    oneline: false,
    tos: false,
    cgroup: false,
    inetSockopt: false,
    kill: false,
    netns: undefined,
  };
  const sel = new Selection();
  let stateFilter = 0, sawQuery = false, summary = false, header = true;
  let filterFile: string | undefined, diagFile: string | undefined;
  const words: string[] = [];
  for (const o of getopt(args)) {
    if ("word" in o) {
      words.push(o.word);
      continue;
    }
    switch (o.key) {
      case "n":
        opts.numeric = true;
        break;
      case "r":
        opts.resolve = true;
        break;
      case "o":
        opts.showOptions = true;
        break;
      case "e":
        opts.showOptions = true;
        opts.details++;
        break;
      case "m":
        opts.mem = true;
        break;
      case "i":
        opts.tcpInfo = true;
        break;
      case "p":
        opts.processes = true;
        break;
      case "T":
        opts.threads = true;
        opts.processes = true;
        break;
      case "E":
        opts.events = true;
        break;
      case "b":
        opts.showOptions = true;
        opts.bpf = true;
        break;
      case "d":
        sel.setDb(DB.DCCP, true);
        break;
      case "t":
        sel.setDb(DB.TCP, true);
        break;
      case "S":
        sel.setDb(DB.SCTP, true);
        break;
      case "u":
        sel.setDb(DB.UDP, true);
        break;
      case "w":
        sel.setDb(DB.RAW, true);
        break;
      case "x":
        sel.setFamily(AF.UNIX);
        break;
      case "vsock":
        sel.setFamily(AF.VSOCK);
        break;
      case "tipc":
        sel.setFamily(AF.TIPC);
        break;
      case "a":
        stateFilter = SS_ALL;
        break;
      case "l":
        stateFilter = (1 << SS.LISTEN) | (1 << SS.CLOSE);
        break;
      case "4":
        sel.setFamily(AF.INET);
        break;
      case "6":
        sel.setFamily(AF.INET6);
        break;
      case "0":
        sel.setFamily(AF.PACKET);
        break;
      case "xdp":
        sel.setFamily(AF.XDP);
        break;
      case "M":
        sel.setDb(DB.MPTCP, true);
        break;
      case "f": {
        if (o.value === "help") {
          out.write(USAGE);
          return 0;
        }
        const af = FAMILY_NAMES[o.value!];
        if (af === undefined) throw usage(`ss: "${o.value}" is invalid family\n`);
        sel.setFamily(af);
        break;
      }
      case "A":
        if (!sawQuery) {
          sel.dbs = 0;
          stateFilter = stateFilter || SS_CONN;
          sawQuery = true;
          sel.doDefault = false;
        }
        for (const w of o.value!.split(",")) {
          if (!sel.parseDb(w)) throw usage(`ss: "${w}" is illegal socket table id\n`);
        }
        break;
      case "s":
        summary = true;
        break;
      case "F":
        if (filterFile !== undefined) throw new UsageError("More than one filter file", 255);
        filterFile = o.value!;
        break;
      case "v":
      case "V":
        out.write("ss utility, iproute2-6.1.0\n");
        return 0;
      case "z":
      case "Z":
        throw new UsageError("ss: SELinux is not enabled.", 1);
      case "N":
        opts.netns = o.value!;
        break;
      case "tos":
        opts.tos = true;
        break;
      case "cgroup":
        opts.cgroup = true;
        break;
      case "K":
        opts.kill = true;
        break;
      case "H":
        header = false;
        break;
      case "O":
        opts.oneline = true;
        break;
      case "inet-sockopt":
        opts.inetSockopt = true;
        break;
      case "h":
        out.write(USAGE);
        return 0;
      case "D":
        diagFile = o.value!;
        break;
      case "tipcinfo":
        throw new UsageError(`nlink: ss option ${o.key.length > 1 ? "--" : "-"}${o.key} is not implemented`, 1);
      default:
        throw usage();
    }
  }

  let diag: SockDiagConnection;
  try {
    diag = SockDiagConnection.open(opts.netns === undefined ? {} : { netns: opts.netns });
  } catch (e) {
    if (opts.netns !== undefined && e instanceof NetlinkError) {
      throw new UsageError(`Cannot open network namespace "${opts.netns}": ${e.reason}`, 1);
    }
    throw e;
  }
  try {
    if (opts.processes) ctxUsers = socketUsers(opts.threads);

    if (summary) {
      await printSummary(out, opts.netns);
      if (sel.doDefault && words.length === 0) return 0;
    }

    let rest = words;
    let sawStates = false;
    while (rest.length > 0) {
      const w = rest[0];
      if (w === "state" || w === "exclude" || w === "excl") {
        if (rest.length < 2) throw new UsageError('Command line is not complete. Try option "help"', 255);
        if (!sawStates) stateFilter = w === "state" ? 0 : SS_ALL;
        if (w === "state") stateFilter |= scanState(rest[1]);
        else stateFilter &= ~scanState(rest[1]);
        sawStates = true;
        rest = rest.slice(2);
      } else break;
    }
    if (sel.doDefault) {
      stateFilter = stateFilter || SS_CONN;
      sel.parseDb("all");
    }
    sel.setStates(stateFilter);
    sel.mergeDefaults();

    if (sel.dbs === 0) return note("ss: no socket tables to show with such filter.");
    if (sel.families.size === 0) return note("ss: no families to show with such filter.");
    if (sel.states === 0) return note("ss: no socket states to show with such filter.");

    if (diagFile !== undefined) {
      // ss saves the TCP dump before it reads the filter expression, which therefore plays no part.
      if (!sel.has(DB.TCP)) return note("ss: tcpdiag dump requested and no tcp in filter.");
      const { writeDiagFile } = await import("./diag_file.ts");
      await writeDiagFile(diag, diagFile, {
        states: sel.states,
        families: inetFamilies(sel),
        extensions: [
          ...(opts.mem ? ["meminfo", "skmeminfo"] as const : []),
          ...(opts.tcpInfo ? ["info", "vegasinfo", "cong"] as const : []),
          ...(opts.tos ? ["tos", "tclass"] as const : []),
        ],
      });
      return 0;
    }

    if (filterFile !== undefined) rest = [...rest, ...await filterFileWords(filterFile)];
    const links = linkNames(opts.netns);
    const expr = await parseFilter(rest, {
      preferredFamily: sel.preferredFamily,
      tcp: sel.has(DB.TCP),
      udp: sel.has(DB.UDP),
      devIndex: links.indexOf,
      cgroupId: cgroupIdOf,
      restrictFamily: (af) => {
        const states = sel.states;
        sel.families = new Set();
        sel.setFamily(af);
        sel.setStates(states);
      },
    });

    const r = new Renderer((t) => out.write(t), screenWidth);
    if ((sel.dbs & (sel.dbs - 1)) === 0) r.columns[Col.Netid].disabled = true;
    if ((sel.states & (sel.states - 1)) === 0) r.columns[Col.State].disabled = true;
    if (header) r.header();

    const ctx: SsContext = {
      opts,
      r,
      users: ctxUsers,
      own: ownSocketInodes(),
      linkName: links.name,
      loadLinks: links.load,
      cgroupPath: cgroupPathResolver(opts.netns !== undefined),
      ephemeral: ephemeralRange(),
      // -r: names from /etc/hosts, then reverse DNS (hosts.ts); neither module loads without -r.
      ...(opts.resolve ? await hostNaming(opts.netns) : {}),
    };
    if (opts.events) return await follow(ctx, diag, sel, expr, out);
    await showAll(ctx, diag, sel, expr);
    r.render();
    return 0;
  } finally {
    diag.close();
    ctxUsers = undefined;
  }
}

let ctxUsers: Map<number, string[]> | undefined;

/**
 * `-r`'s look-ups, loaded only with it. With `-N`, iproute2 asks DNS from inside
 * that namespace (and its /etc/netns/NAME/resolv.conf); we cannot send from there
 * in-process, and asking from ours could name what iproute2 cannot, so names come
 * from /etc/hosts alone.
 */
async function hostNaming(netns: string | undefined): Promise<Pick<SsContext, "hostName" | "lookUpHostNames">> {
  const { hostName, lookUpHostNames } = await import("./hosts.ts");
  return netns === undefined ? { hostName, lookUpHostNames } : { hostName };
}

function note(message: string): number {
  console.error(message);
  return 0;
}

async function showAll(ctx: SsContext, diag: SockDiagConnection, sel: Selection, expr: Expr | undefined) {
  const inet = sel.families.has(AF.INET) || sel.families.has(AF.INET6);
  const other = (types: string[]): OtherShow => ({ states: sel.states, expr, types: new Set(types) });
  const closeShown = (sel.states & (1 << SS.CLOSE)) !== 0;
  if (sel.has(DB.NETLINK) && sel.families.has(AF.NETLINK) && closeShown) await showNetlink(ctx, diag, other([]));
  if ((sel.has(DB.PACKET_R) || sel.has(DB.PACKET_DG)) && sel.families.has(AF.PACKET) && closeShown) {
    await showPacket(ctx, diag, other([]));
  }
  if (UNIX_DBS.some((db) => sel.has(db)) && sel.families.has(AF.UNIX)) {
    const types = [];
    if (sel.has(DB.UNIX_ST)) types.push("stream");
    if (sel.has(DB.UNIX_DG)) types.push("dgram");
    if (sel.has(DB.UNIX_SQ)) types.push("seqpacket");
    await showUnix(ctx, diag, other(types));
  }
  const filter = expr === undefined ? undefined : toSocketFilter(expr);
  const check = filter === undefined ? undefined : inetCheck(filter, ctx.ephemeral);
  let serviceProto: string | undefined;
  const inetShow = async (protocol: InetShow["protocol"]) => {
    await showInet(ctx, diag, {
      protocol,
      states: sel.states,
      families: inetFamilies(sel),
      show: { inet: sel.families.has(AF.INET), inet6: sel.families.has(AF.INET6) },
      filter,
      check: check as ((s: InetSocket) => boolean) | undefined,
      serviceProto,
    });
  };
  if (inet) {
    if (sel.has(DB.RAW)) {
      serviceProto = "raw";
      await inetShow("raw");
    }
    if (sel.has(DB.UDP)) {
      serviceProto = "udp";
      await inetShow("udp");
    }
    if (sel.has(DB.TCP)) {
      serviceProto = "tcp";
      await inetShow("tcp");
    }
    if (sel.has(DB.DCCP)) await inetShow("dccp");
    if (sel.has(DB.SCTP)) await inetShow("sctp");
  }
  if ((sel.has(DB.VSOCK_ST) || sel.has(DB.VSOCK_DG)) && sel.families.has(AF.VSOCK)) {
    const types = [];
    if (sel.has(DB.VSOCK_ST)) types.push("stream");
    if (sel.has(DB.VSOCK_DG)) types.push("dgram");
    await showVsock(ctx, diag, other(types));
  }
  if (sel.has(DB.XDP) && sel.families.has(AF.XDP) && (sel.states & (1 << SS.CLOSE))) {
    await showXdp(ctx, diag, other([]));
  }
  if (inet && sel.has(DB.MPTCP)) await inetShow("mptcp");
}

/** The IP families an inet table is dumped for, in ss's order (IPv4, then IPv6, unless -4/-6 chose one). */
function inetFamilies(sel: Selection): ("inet" | "inet6")[] {
  return sel.preferredFamily === AF.INET6 ? ["inet6"] : sel.preferredFamily === AF.INET ? ["inet"] : ["inet", "inet6"];
}

/** `-E`: the destroy groups of the selected TCP/UDP tables and IP families, followed until killed. */
async function follow(ctx: SsContext, diag: SockDiagConnection, sel: Selection, expr: Expr | undefined, out: Output) {
  const { followEvents } = await import("./events.ts");
  const groups: SockDiagGroup[] = [];
  const v4 = sel.families.has(AF.INET), v6 = sel.families.has(AF.INET6);
  if (v4 && sel.has(DB.TCP)) groups.push("inet-tcp");
  if (v4 && sel.has(DB.UDP)) groups.push("inet-udp");
  if (v6 && sel.has(DB.TCP)) groups.push("inet6-tcp");
  if (v6 && sel.has(DB.UDP)) groups.push("inet6-udp");
  const filter = expr === undefined ? undefined : toSocketFilter(expr);
  return await followEvents(ctx, diag, {
    groups,
    show: { inet: v4, inet6: v6 },
    check: filter === undefined ? undefined : inetCheck(filter, ctx.ephemeral) as (s: InetSocket) => boolean,
    flush: () => out.flush(),
  });
}

/** The terminal's width, or -1 when stdout is not a terminal. */
function screenWidth(): number {
  try {
    if (!Deno.stdout.isTerminal()) return -1;
    const { columns } = Deno.consoleSize();
    return columns > 0 ? columns : -1;
  } catch {
    return -1;
  }
}

/** `-F FILE`: its words, skipping lines that start with `#` (or `0`, as ss does). */
async function filterFileWords(path: string): Promise<string[]> {
  let text: string;
  try {
    text = path.startsWith("-") ? await new Response(Deno.stdin.readable).text() : await Deno.readTextFile(path);
  } catch (e) {
    throw new UsageError(`fopen filter file: ${e instanceof Error ? e.message : e}`, 255);
  }
  return text.split("\n").filter((l) => l !== "" && l[0] !== "#" && l[0] !== "0");
}

/** Link names of the namespace, loaded on first need through rtnetlink. */
function linkNames(netns: string | undefined) {
  let byIndex: Map<number, string> | undefined;
  const load = async () => {
    if (byIndex) return;
    const { Connection } = await import("@nlink/nlink");
    using conn = await Connection.open(netns === undefined ? {} : { netns });
    byIndex = new Map((await conn.getLinks()).map((l) => [l.index, l.name ?? ""]));
  };
  return {
    load,
    name: (index: number) => byIndex?.get(index) ?? `if${index}`,
    indexOf: async (name: string) => {
      await load();
      for (const [i, n] of byIndex!) if (n === name) return i;
      return 0;
    },
  };
}

/** `-s`: /proc/net/sockstat, sockstat6 and snmp (of the namespace), in ss's words. */
async function printSummary(out: Output, netns: string | undefined): Promise<void> {
  const { readNetFiles } = await import("./summary.ts");
  out.write(await readNetFiles(netns));
}
