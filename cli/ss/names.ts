/**
 * The names ss(8) prints instead of numbers, from the same files it reads:
 * services (/etc/services), IP protocols (/etc/protocols), link-layer and
 * netlink protocol names, the ephemeral port range, and which processes hold
 * a socket (/proc/PID/fd, only for `-p`).
 *
 * @module
 */
import { parseUnsigned } from "../common/inet.ts";

function readText(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

interface Services {
  /** `port/proto` → first name, and `port/` → first name of any protocol. */
  byPort: Map<string, string>;
  /** `name/proto` (names and aliases) → port. */
  byName: Map<string, number>;
}

let services: Services | undefined;

function loadServices(): Services {
  if (services) return services;
  services = { byPort: new Map(), byName: new Map() };
  for (const raw of (readText("/etc/services") ?? "").split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    if (!line) continue;
    const [name, portProto, ...aliases] = line.split(/\s+/);
    const m = /^(\d+)\/(\w+)$/.exec(portProto ?? "");
    if (!m) continue;
    const port = Number(m[1]), proto = m[2];
    if (!services.byPort.has(`${port}/${proto}`)) services.byPort.set(`${port}/${proto}`, name);
    if (!services.byPort.has(`${port}/`)) services.byPort.set(`${port}/`, name);
    for (const n of [name, ...aliases]) {
      if (!services.byName.has(`${n}/${proto}`)) services.byName.set(`${n}/${proto}`, port);
    }
  }
  return services;
}

/**
 * getservbyport(): the service name of a port for a protocol (any protocol
 * when `proto` is undefined), or undefined.
 */
export function serviceName(port: number, proto: string | undefined): string | undefined {
  return loadServices().byPort.get(`${port}/${proto ?? ""}`);
}

/** getservbyname(): the port of a service name for a protocol, or undefined. */
export function servicePort(name: string, proto: string): number | undefined {
  return loadServices().byName.get(`${name}/${proto}`);
}

let protocols: Map<number, string> | undefined;

/** getprotobynumber(): an IP protocol's name (`icmp`), else its number. */
export function ipProtocolName(n: number): string {
  if (!protocols) {
    protocols = new Map();
    for (const raw of (readText("/etc/protocols") ?? "").split("\n")) {
      const line = raw.replace(/#.*/, "").trim();
      const [name, num] = line.split(/\s+/);
      if (name && num && /^\d+$/.test(num) && !protocols.has(Number(num))) protocols.set(Number(num), name);
    }
  }
  return protocols.get(n) ?? String(n);
}

let ephemeral: [number, number] | undefined;

/** ip_local_port_range, as ss reads it (1024..4999 when unreadable). */
export function ephemeralRange(): [number, number] {
  if (ephemeral) return ephemeral;
  const m = /^\s*(-?\d+)\s+(-?\d+)/.exec(readText("/proc/sys/net/ipv4/ip_local_port_range") ?? "");
  ephemeral = m ? [Number(m[1]), Number(m[2])] : [1024, 4999];
  return ephemeral;
}

/** Link-layer protocol names (ETH_P_*), as iproute2 spells them. */
const LL_PROTOCOLS: Record<number, string> = {
  0x0060: "loop",
  0x0200: "pup",
  0x0201: "pupat",
  0x0800: "ip",
  0x0805: "x25",
  0x0806: "arp",
  0x08ff: "bpq",
  0x0a00: "ieeepup",
  0x0a01: "ieeepupat",
  0x6000: "dec",
  0x6001: "dna_dl",
  0x6002: "dna_rc",
  0x6003: "dna_rt",
  0x6004: "lat",
  0x6005: "diag",
  0x6006: "cust",
  0x6007: "sca",
  0x8035: "rarp",
  0x809b: "atalk",
  0x80f3: "aarp",
  0x8137: "ipx",
  0x86dd: "ipv6",
  0x8863: "ppp_disc",
  0x8864: "ppp_ses",
  0x884c: "atmmpoa",
  0x8884: "atmfate",
  0x0001: "802_3",
  0x0002: "ax25",
  0x0003: "all",
  0x0004: "802_2",
  0x0005: "snap",
  0x0006: "ddcmp",
  0x0007: "wan_ppp",
  0x0008: "ppp_mp",
  0x0009: "localtalk",
  0x000c: "can",
  0x0010: "ppptalk",
  0x0011: "tr_802_2",
  0x0015: "mobitex",
  0x0016: "control",
  0x0017: "irda",
  0x0018: "econet",
  0x88ca: "tipc",
  0x8892: "profinet",
  0x88a2: "aoe",
  0x88a4: "ethercat",
  0x8100: "802.1Q",
  0x88a8: "802.1ad",
  0x8847: "mpls_uc",
  0x8848: "mpls_mc",
  0x6558: "teb",
};

/** ll_proto_n2a(): `ip`, `ipv6`, … or `[N]` (always `[N]` with `-n`). */
export function llProtocolName(n: number, numeric: boolean): string {
  return (!numeric && LL_PROTOCOLS[n]) || `[${n}]`;
}

const NL_PROTOCOLS = [
  "rtnl",
  "unused",
  "usersock",
  "fw",
  "tcpdiag",
  "nflog",
  "xfrm",
  "selinux",
  "iscsi",
  "audit",
  "fiblookup",
  "connector",
  "nft",
  "ip6fw",
  "dec-rt",
  "uevent",
  "genl",
  undefined,
  "scsi-trans",
  "ecryptfs",
  "rdma",
  "crypto",
];

/** nl_proto_n2a(): `rtnl`, `genl`, … or the number. */
export function netlinkProtocolName(n: number, numeric: boolean): string {
  return (!numeric && NL_PROTOCOLS[n]) || String(n);
}

/** nl_proto_a2n(): a netlink protocol's number from its name or number, or undefined. */
export function netlinkProtocolNumber(name: string): number | undefined {
  const i = NL_PROTOCOLS.indexOf(name);
  if (i >= 0) return i;
  return parseUnsigned(name, 255);
}

/**
 * The command name in /proc/PID/stat (up to the first `)`, as ss scans it),
 * or undefined. This process is `ss` (iproute2's names itself so; ours runs
 * under a runtime named otherwise).
 */
export function taskName(pid: number): string | undefined {
  if (pid === Deno.pid) return "ss";
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  const m = /^\d+ \(([^)]*)\)/.exec(stat);
  return m ? m[1] : undefined;
}

/**
 * Who holds each socket inode: `("name",pid=N,fd=M)` entries, walking
 * /proc/PID/fd like ss (the last found first, as its hash chains list them).
 * With `threads` (`-T`), every thread's table too, through /proc/TID as ss
 * reads it, each entry with `tid=` (the process's own as `tid=PID`) and the
 * thread's name.
 */
export function socketUsers(threads = false): Map<number, string[]> {
  const users = new Map<number, string[]>();
  const pids: number[] = [];
  try {
    for (const e of Deno.readDirSync("/proc")) if (/^\d+/.test(e.name)) pids.push(parseInt(e.name));
  } catch {
    return users;
  }
  for (const pid of pids) {
    addTask(users, pid, pid, threads);
    if (!threads) continue;
    let tasks: Deno.DirEntry[];
    try {
      tasks = [...Deno.readDirSync(`/proc/${pid}/task`)];
    } catch {
      continue;
    }
    for (const t of tasks) {
      if (!/^\d+/.test(t.name)) continue;
      const tid = parseInt(t.name);
      if (tid !== pid) addTask(users, pid, tid, true);
    }
  }
  return users;
}

/** The sockets in /proc/ID/fd (ID a process or a thread), added to `users` (ss's user_ent_hash_build_task). */
function addTask(users: Map<number, string[]>, pid: number, id: number, threads: boolean): void {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(`/proc/${id}/fd`)];
  } catch {
    return;
  }
  let task: string | undefined;
  for (const e of entries) {
    if (!/^\d+/.test(e.name)) continue;
    let link: string;
    try {
      link = Deno.readLinkSync(`/proc/${id}/fd/${e.name}`);
    } catch {
      continue;
    }
    const m = /^socket:\[(\d+)\]/.exec(link);
    if (!m) continue;
    task ??= taskName(id) ?? "";
    const ino = Number(m[1]);
    const list = users.get(ino);
    const entry = threads
      ? `("${task}",pid=${pid},tid=${id},fd=${parseInt(e.name)})`
      : `("${task}",pid=${pid},fd=${parseInt(e.name)})`;
    if (list) list.unshift(entry);
    else users.set(ino, [entry]);
  }
}
