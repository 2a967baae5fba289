/**
 * Opens a known set of sockets inside a network namespace, for the sock_diag
 * tests and fixture capture: a python3 process started in the namespace
 * (the test process itself stays outside) that opens them, prints what it
 * opened as JSON, and waits for commands on stdin.
 *
 * @module
 */
import { spawnInNetns } from "../../src/netns/mod.ts";
import type { SocketFilter } from "../../src/sockdiag/filter.ts";

/** What the helper opened. */
export interface HelperSockets {
  /** The helper's pid. */
  pid: number;
  /** Inode numbers by socket name. */
  inodes: Record<string, number>;
  /** The abstract Unix names and paths used. */
  unixNames: Record<string, string>;
  /** TCP connections: name → [local address, local port, remote address, remote port]. */
  tcp: Record<string, [string, number, string, number]>;
}

/** A running helper. */
export interface SocketHelper {
  /** What it opened. */
  sockets: HelperSockets;
  /** Reads from a named socket (1 s at most): "reset", "eof", "timeout", "data" or an error name. */
  probe(name: string): Promise<string>;
  /** Ends the helper (its sockets close). */
  close(): Promise<void>;
}

/** Why the helper cannot run, or undefined. */
export async function helperUnavailable(): Promise<string | undefined> {
  try {
    const r = await new Deno.Command("python3", { args: ["-c", "print(1)"], stdout: "null", stderr: "null" }).output();
    return r.success ? undefined : "python3 does not run";
  } catch {
    return "python3 is not installed";
  }
}

const SCRIPT = String.raw`
import json, os, socket, struct, sys, select
SO_MARK = 36
SO_BINDTODEVICE = 25
socks = {}
tcp = {}
def keep(name, s):
    socks[name] = s
    return s
def listen(name, family, addr, port):
    s = keep(name, socket.socket(family, socket.SOCK_STREAM))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(16)
    return s
def connect(name, family, addr, port, src=None, sport=0, mark=None, dev=None):
    c = keep(name, socket.socket(family, socket.SOCK_STREAM))
    if mark is not None: c.setsockopt(socket.SOL_SOCKET, SO_MARK, mark)
    if dev is not None: c.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, dev.encode())
    if src is not None or sport: c.bind((src or ("::" if family == socket.AF_INET6 else "0.0.0.0"), sport))
    c.connect((addr, port))
    return c
def record(name, s):
    l = s.getsockname(); r = s.getpeername()
    tcp[name] = [l[0], l[1], r[0], r[1]]
l4 = listen("listen4", socket.AF_INET, "127.0.0.1", 2000)
l4b = listen("listen4b", socket.AF_INET, "10.1.0.1", 3000)
l6 = listen("listen6", socket.AF_INET6, "::", 4000)
plan = [
    ("c1", socket.AF_INET, "127.0.0.1", 2000, None, 0, None, None, l4),
    ("c2", socket.AF_INET, "127.0.0.1", 2000, "127.0.0.1", 5001, 7, None, l4),
    ("c3", socket.AF_INET, "10.1.0.1", 3000, "10.1.0.1", 0, 0x10, "lo", l4b),
    ("c4", socket.AF_INET, "10.1.0.1", 3000, "127.0.0.1", 5002, None, None, l4b),
    ("c5", socket.AF_INET6, "2001:db8::1", 4000, None, 0, 0x1f, None, l6),
    ("c6", socket.AF_INET6, "::1", 4000, "::1", 5003, None, "lo", l6),
    ("c7", socket.AF_INET, "127.0.0.1", 4000, None, 0, None, None, l6),
    ("victim", socket.AF_INET, "127.0.0.1", 2000, "127.0.0.1", 5004, None, None, l4),
]
for (name, fam, addr, port, src, sport, mark, dev, lst) in plan:
    c = connect(name, fam, addr, port, src, sport, mark, dev)
    a, _ = lst.accept()
    keep(name + "-peer", a)
    record(name, c)
    record(name + "-peer", a)
u4 = keep("udp4", socket.socket(socket.AF_INET, socket.SOCK_DGRAM)); u4.bind(("127.0.0.1", 2053))
u6 = keep("udp6", socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)); u6.bind(("::1", 2053)); u6.connect(("::1", 2054))
abstract = "\0nlink-sockdiag-%d" % os.getpid()
ul = keep("unix-listen", socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)); ul.bind(abstract); ul.listen(4)
uc = keep("unix-client", socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)); uc.connect(abstract)
ua, _ = ul.accept(); keep("unix-accepted", ua)
up = keep("unix-pending", socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)); up.connect(abstract)
d1, d2 = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM); keep("unix-dgram-a", d1); keep("unix-dgram-b", d2)
d2.send(b"hello")
path = "/tmp/nlink-sockdiag-%d.sock" % os.getpid()
ub = keep("unix-bound", socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)); ub.bind(path)
try:
    ml = keep("mptcp-listen", socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262))
    ml.bind(("127.0.0.1", 6000)); ml.listen(4)
    mc = keep("mptcp-client", socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)); mc.connect(("127.0.0.1", 6000))
    ma, _ = ml.accept(); keep("mptcp-peer", ma)
except OSError:
    pass  # no MPTCP in this kernel: the tests look for these only when present
pk = keep("packet", socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))); pk.bind(("lo", 0))
nl = keep("netlink", socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)); nl.bind((0, 1))
print(json.dumps({
    "pid": os.getpid(),
    "inodes": {k: os.fstat(s.fileno()).st_ino for k, s in socks.items()},
    "unixNames": {"abstract": "@" + abstract[1:], "path": path},
    "tcp": tcp,
}), flush=True)
for line in sys.stdin:
    cmd = line.split()
    if not cmd: continue
    if cmd[0] == "probe":
        s = socks[cmd[1]]
        r, _, _ = select.select([s], [], [], 1.0)
        if not r: out = "timeout"
        else:
            try:
                data = s.recv(100)
                out = "data" if data else "eof"
            except ConnectionResetError: out = "reset"
            except OSError as e: out = "error:%d" % e.errno
        print(out, flush=True)
try: os.unlink(path)
except OSError: pass
`;

/**
 * Starts the helper in namespace `ns` (lo up, 10.1.0.1/8 and 2001:db8::1 on
 * lo are set up here first) and waits for its list of sockets.
 */
export async function startSocketHelper(ns: string): Promise<SocketHelper> {
  for (
    const args of [["link", "set", "lo", "up"], ["addr", "add", "10.1.0.1/8", "dev", "lo"], [
      "addr",
      "add",
      "2001:db8::1/128",
      "dev",
      "lo",
      "nodad",
    ]]
  ) {
    const r = await new Deno.Command("ip", { args: ["-n", ns, ...args], stderr: "piped" }).output();
    if (!r.success) throw new Error(`ip ${args.join(" ")}: ${new TextDecoder().decode(r.stderr)}`);
  }
  const child = spawnInNetns(ns, "python3", {
    args: ["-u", "-c", SCRIPT],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  });
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  const nextLine = async (): Promise<string> => {
    for (;;) {
      const nl = buffered.indexOf("\n");
      if (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        return line;
      }
      const { value, done } = await lines.read();
      if (done) throw new Error("the socket helper exited early");
      buffered += value;
    }
  };
  const writer = child.stdin.getWriter();
  const sockets = JSON.parse(await nextLine()) as HelperSockets;
  return {
    sockets,
    async probe(name) {
      await writer.write(new TextEncoder().encode(`probe ${name}\n`));
      return await nextLine();
    },
    async close() {
      await writer.close().catch(() => {});
      await lines.cancel().catch(() => {});
      await child.status;
    },
  };
}

/** A small deterministic PRNG (the test must not vary from run to run). */
export function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x6d2b79f5) >>> 0;
    let t = x;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Ports the random filters and sockets use (edges included). */
export const PORTS = [0, 22, 80, 1023, 1024, 2000, 33000, 60999, 65535];
/** Prefixes the random filters use (IPv4, IPv6, v4-mapped). */
const PREFIXES = ["10.0.0.0/8", "10.1.0.1", "127.0.0.0/8", "0.0.0.0/0", "::1", "2001:db8::/32", "::ffff:10.0.0.0/104"];

/** A random filter tree (every kind of leaf, and/or/not up to 3 deep), for brute-force comparisons. */
export function randomFilter(r: () => number, depth = 0): SocketFilter {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const choice = r();
  if (depth < 3 && choice < 0.3) {
    const n = 1 + Math.floor(r() * 3);
    const parts = Array.from({ length: n }, () => randomFilter(r, depth + 1));
    return r() < 0.5 ? { and: parts } : { or: parts };
  }
  if (depth < 3 && choice < 0.4) return { not: randomFilter(r, depth + 1) };
  switch (Math.floor(r() * 6)) {
    case 0:
      return {
        kind: pick(["src", "dst"] as const),
        address: pick(PREFIXES),
        port: r() < 0.3 ? pick(PORTS) : undefined,
      };
    case 1:
      return { kind: pick(["src", "dst"] as const), port: pick(PORTS) };
    case 2:
      return {
        kind: pick(["sport", "dport"] as const),
        op: pick(["=", "!=", "<", ">", "<=", ">="] as const),
        port: pick(PORTS),
      };
    case 3:
      return { kind: "dev", dev: pick([0, 1, 2]) };
    case 4:
      return { kind: "mark", mark: pick([0, 7, 0x10]), mask: pick([0xff, 0xffffffff, 0x0f]) };
    default:
      return { kind: "cgroup", id: pick([0n, 1n, 42n]) };
  }
}
