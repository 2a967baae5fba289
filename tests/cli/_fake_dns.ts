/**
 * A tiny DNS server for the `ss -r` tests: it answers PTR questions for the
 * names it is given (one record, or several in the order given), stays silent for the ones it is told to drop (so the
 * client times out), and says NXDOMAIN to everything else. Run it inside a
 * network namespace:
 *
 *   ip netns exec NS deno run -A tests/cli/_fake_dns.ts ADDR PORT '{"1.0.0.10.in-addr.arpa":["one.example","two.example"]}' [DROP…]
 *
 * It prints `ready` once it listens, then every question it gets as `? NAME`
 * (before answering it, so a test can count them).
 *
 * @module
 */
import dgram from "node:dgram";
import { Buffer } from "node:buffer";

/** The reverse-lookup name of an IPv4 or IPv6 address, as resolvers ask for it (no trailing dot). */
export function reverseName(addr: string): string {
  if (!addr.includes(":")) return `${addr.split(".").reverse().join(".")}.in-addr.arpa`;
  const [head, tail = ""] = addr.split("::");
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const h = groups(head), t = groups(tail);
  const all = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  const nibbles = all.map((g) => g.padStart(4, "0")).join("");
  return `${[...nibbles].reverse().join(".")}.ip6.arpa`;
}

/** Reads a (possibly compressed) name at `at`; returns it and the offset after it in the question. */
function readName(msg: Buffer, at: number): [string, number] {
  const labels: string[] = [];
  let end = -1;
  for (let hops = 0; hops < 64; hops++) {
    const len = msg[at];
    if (len === 0) {
      if (end < 0) end = at + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (end < 0) end = at + 2;
      at = ((len & 0x3f) << 8) | msg[at + 1];
      continue;
    }
    labels.push(msg.subarray(at + 1, at + 1 + len).toString("latin1"));
    at += 1 + len;
  }
  return [labels.join("."), end];
}

/** A name as DNS labels. */
function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, "").split(".").filter((l) => l !== "");
  return Buffer.concat([
    ...parts.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, "latin1")])),
    Buffer
      .from([0]),
  ]);
}

/** The reply to one query: a PTR answer, NXDOMAIN, or undefined to stay silent. */
export function reply(query: Buffer, names: Record<string, string | string[]>, drop: Set<string>): Buffer | undefined {
  if (query.length < 12) return undefined;
  const [qname, after] = readName(query, 12);
  const qtype = query.readUInt16BE(after);
  const question = query.subarray(12, after + 4);
  const key = qname.toLowerCase();
  if (drop.has(key)) return undefined;
  const target = qtype === 12 ? names[key] : undefined;
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  const rd = query[2] & 0x01;
  header[2] = 0x84 | rd; // QR, AA, RD copied
  header[3] = 0x80 | (target === undefined && names[key] === undefined ? 3 : 0); // RA; NXDOMAIN when the name is unknown
  header.writeUInt16BE(1, 4);
  const targets = target === undefined ? [] : typeof target === "string" ? [target] : target;
  header.writeUInt16BE(targets.length, 6);
  const records = targets.map((t) => {
    const rdata = encodeName(t);
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // the question's name
    rr.writeUInt16BE(12, 2); // PTR
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([rr, rdata]);
  });
  return Buffer.concat([header, question, ...records]);
}

if (import.meta.main) {
  const [addr, port, table, ...drop] = Deno.args;
  const names: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(JSON.parse(table) as Record<string, string | string[]>)) {
    names[k.toLowerCase()] = v;
  }
  const dropped = new Set(drop.map((d) => d.toLowerCase()));
  const sock = dgram.createSocket(addr.includes(":") ? "udp6" : "udp4");
  sock.on("message", (msg: Buffer, from: { address: string; port: number }) => {
    const [qname] = readName(msg, 12);
    console.log(`? ${qname}`);
    const out = reply(msg, names, dropped);
    if (out) sock.send(out, from.port, from.address);
  });
  sock.bind(Number(port), addr, () => console.log("ready"));
}
