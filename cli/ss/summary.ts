/**
 * `ss -s`: the socket summary from /proc/net/sockstat, sockstat6 and snmp —
 * the namespace's own files: with `-N`, read by a `cat` started inside it
 * (this process stays in its namespace, and /proc/net is per namespace).
 *
 * @module
 */
import { spawnInNetns } from "@nlink/nlink";
import { ownSocketInodes } from "./own_sockets.ts";

const FILES = ["/proc/net/sockstat", "/proc/net/sockstat6", "/proc/net/snmp"];

async function readAll(netns: string | undefined): Promise<string[]> {
  if (netns === undefined) {
    return await Promise.all(FILES.map((f) => Deno.readTextFile(f).catch(() => "")));
  }
  // One cat per file keeps the files apart even when one is missing.
  return await Promise.all(FILES.map(async (f) => {
    const child = spawnInNetns(netns, "cat", { args: [f], stdout: "piped", stderr: "null" });
    const out = await child.output();
    return new TextDecoder().decode(out.stdout);
  }));
}

/** The numbers after each label of a sockstat line (`TCP: inuse 5 orphan 0 …` → [5, 0, …]). */
function numbersOf(line: string): number[] {
  return line.split(/\s+/).slice(1).filter((_, i) => i % 2 === 1).map((x) => parseInt(x) || 0);
}

/** Tcp: CurrEstab from /proc/net/snmp (header line, then values line). */
function currEstab(snmp: string): number {
  const lines = snmp.split("\n");
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i].startsWith("Tcp:") || !lines[i + 1].startsWith("Tcp:")) continue;
    const keys = lines[i].split(" "), values = lines[i + 1].split(" ");
    const at = keys.indexOf("CurrEstab");
    return at >= 0 ? parseInt(values[at]) || 0 : 0;
  }
  return 0;
}

const pad9 = (n: number) => String(n).padEnd(9);

/** The summary text, as ss prints it. */
export async function readNetFiles(netns: string | undefined): Promise<string> {
  const [sockstat, sockstat6, snmp] = await readAll(netns);
  const s = {
    socks: 0,
    tcpMem: 0,
    tcpTotal: 0,
    tcpOrphans: 0,
    tcpTws: 0,
    tcp4: 0,
    udp4: 0,
    raw4: 0,
    frag4: 0,
    tcp6: 0,
    udp6: 0,
    raw6: 0,
    frag6: 0,
  };
  for (const line of (sockstat + "\n" + sockstat6).split("\n")) {
    const id = line.slice(0, line.indexOf(" "));
    const n = numbersOf(line);
    // The tool's own sockets (the runtime's pair, its netlink socket) are not counted: iproute2's ss has none
    // open when it reads the file. In another namespace (-N) they were never counted.
    if (id === "sockets:") s.socks = Math.max(0, (n[0] ?? 0) - (netns === undefined ? ownSocketInodes().size : 0));
    else if (id === "UDP:") s.udp4 = n[0] ?? 0;
    else if (id === "UDP6:") s.udp6 = n[0] ?? 0;
    else if (id === "RAW:") s.raw4 = n[0] ?? 0;
    else if (id === "RAW6:") s.raw6 = n[0] ?? 0;
    else if (id === "TCP6:") s.tcp6 = n[0] ?? 0;
    else if (id === "FRAG:") s.frag4 = n[0] ?? 0;
    else if (id === "FRAG6:") s.frag6 = n[0] ?? 0;
    else if (id === "TCP:") [s.tcp4, s.tcpOrphans, s.tcpTws, s.tcpTotal, s.tcpMem] = n.map((x) => x ?? 0);
  }
  const estab = currEstab(snmp);
  const row = (name: string, v4: number, v6: number) => `${name}\t  ${pad9(v4 + v6)} ${pad9(v4)} ${pad9(v6)}\n`;
  return `Total: ${s.socks}\n` +
    `TCP:   ${s.tcpTotal + s.tcpTws} (estab ${estab}, closed ${s.tcpTotal - (s.tcp4 + s.tcp6 - s.tcpTws)}, ` +
    `orphaned ${s.tcpOrphans}, timewait ${s.tcpTws})\n\n` +
    "Transport Total     IP        IPv6\n" +
    row("RAW", s.raw4, s.raw6) +
    row("UDP", s.udp4, s.udp6) +
    row("TCP", s.tcp4, s.tcp6) +
    row("INET", s.raw4 + s.udp4 + s.tcp4, s.raw6 + s.udp6 + s.tcp6) +
    row("FRAG", s.frag4, s.frag6) +
    "\n";
}
