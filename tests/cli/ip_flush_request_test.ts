/**
 * Every message a flush sends, against iproute2's (nlcapture --all): the
 * device look-up or link table iproute2 asks for, the dump, each delete (the
 * dumped object sent back as it came, with iproute2's flags: no ack asked for
 * routes, addresses and neighbours, one asked of each rule) and the dump that
 * finds nothing left. The same state is built again before each tool's run.
 *
 * Two things are masked before comparing: the payload of the cache-info
 * attribute an echoed address, neighbour or IPv6 route carries (ages and
 * reference counts, which move between the two runs), and the order of each
 * round's deletes (the kernel's dump order of objects made again, which
 * follows hash order for neighbours).
 */
import assert from "node:assert/strict";
import { capture, type Captured, captureTest } from "./_capture.ts";
import { ip, OUR_CLI } from "./_run.ts";
import { vethLab } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };

/** The top-level attribute of each echoed message type whose payload moves between runs. */
const MOVING: Record<number, { header: number; attr: number }> = {
  21: { header: 8, attr: 6 }, // RTM_DELADDR: IFA_CACHEINFO
  25: { header: 12, attr: 12 }, // RTM_DELROUTE: RTA_CACHEINFO (IPv6 routes)
  29: { header: 12, attr: 3 }, // RTM_DELNEIGH: NDA_CACHEINFO
};

/** `hex` with the payload of top-level attribute `attr` zeroed. */
function maskAttr(hex: string, header: number, attr: number): string {
  const b = new Uint8Array(hex.match(/../g)!.map((x) => parseInt(x, 16)));
  const v = new DataView(b.buffer);
  for (let at = 16 + header; at + 4 <= b.length;) {
    const len = v.getUint16(at, true);
    if (len < 4) break;
    if ((v.getUint16(at + 2, true) & 0x3fff) === attr) b.fill(0, at + 4, Math.min(at + len, b.length));
    at += (len + 3) & ~3;
  }
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** The messages with moving payloads masked and each run of deletes sorted. */
function comparable(messages: Captured[]): Captured[] {
  const out = messages.map((m) => {
    const moving = MOVING[m.type];
    return moving ? { ...m, hex: maskAttr(m.hex, moving.header, moving.attr) } : m;
  });
  const isDelete = (m: Captured) => m.type === 21 || m.type === 25 || m.type === 29 || m.type === 33;
  for (let i = 0; i < out.length;) {
    let j = i;
    while (j < out.length && isDelete(out[j])) j++;
    if (j > i) out.splice(i, j - i, ...out.slice(i, j).sort((a, b) => a.hex.localeCompare(b.hex)));
    i = j + 1;
  }
  return out;
}

/** Builds the state with `setup`, captures iproute2's flush, builds it again, captures ours, compares. */
async function sameFlush(ns: string, command: string, setup: () => Promise<void>, deletes: number): Promise<void> {
  const words = command.split(" ");
  await setup();
  const theirs = await capture(ns, ["ip", ...words], true);
  await setup();
  const mine = await capture(ns, [...OUR_CLI, "ip", ...words], true);
  const deleted = theirs.filter((m) => m.type === 21 || m.type === 25 || m.type === 29 || m.type === 33).length;
  assert.equal(deleted, deletes, `ip ${command}: iproute2 sent ${deleted} deletes`);
  assert.deepEqual(comparable(mine), comparable(theirs), `ip ${command}: request bytes differ`);
}

/** Runs `ip` commands, ignoring "File exists" (the state is partly there already). */
async function again(ns: string, commands: string[]): Promise<void> {
  for (const c of commands) await ip(ns, c).catch(() => {});
}

await captureTest("ip route flush: every message as iproute2's", NEEDS, async (ns) => {
  await vethLab(ns, ["10.0.0.1/24 dev p0", "2001:db8::1/64 dev p0 nodad"]);
  const routes = () =>
    again(ns, [
      "route add 10.9.1.0/24 via 10.0.0.2 proto static",
      "route add 10.9.2.0/24 via 10.0.0.2 proto static",
      "route add 10.9.3.0/24 dev p0 table 100",
      "route add 10.9.4.0/24 dev p1",
      "-6 route add 2001:db8:9::/48 via 2001:db8::2 proto static",
    ]);
  await sameFlush(ns, "route flush proto static", routes, 2);
  await sameFlush(ns, "route flush dev p1", routes, 1);
  await sameFlush(ns, "route flush table 100", routes, 1);
  await sameFlush(ns, "route flush root 10.9.0.0/16 dev p0", routes, 2);
  await sameFlush(ns, "-6 route flush proto static", routes, 1);
});

await captureTest("ip address flush: every message as iproute2's", NEEDS, async (ns) => {
  await vethLab(ns);
  const addresses = () =>
    again(ns, [
      "address add 10.0.0.1/24 dev p0",
      "address add 10.0.0.5/24 dev p0",
      "address add 10.1.0.1/24 dev p1",
      "address add 2001:db8::1/64 dev p0 nodad",
    ]);
  await sameFlush(ns, "address flush dev p0", addresses, 3);
  await sameFlush(ns, "-4 address flush dev p0", addresses, 2);
  await sameFlush(ns, "address flush to 10.1.0.0/16", addresses, 1);
});

await captureTest("ip neigh flush: every message as iproute2's", NEEDS, async (ns) => {
  await vethLab(ns, ["10.0.0.1/24 dev p0"]);
  const entries = () =>
    again(ns, [
      "neigh replace 10.0.0.7 lladdr 02:00:00:00:00:07 dev p0 nud stale",
      "neigh replace 10.0.0.8 lladdr 02:00:00:00:00:08 dev p0 nud stale",
      "neigh replace 10.0.0.9 lladdr 02:00:00:00:00:09 dev p0 nud permanent",
    ]);
  await sameFlush(ns, "neigh flush dev p0", entries, 2);
  await sameFlush(ns, "neigh flush all", entries, 2);
  await sameFlush(ns, "neigh flush nud all", entries, 3);
  await sameFlush(ns, "neigh flush 10.0.0.8", entries, 1);
});

await captureTest("ip rule flush: every message as iproute2's", NEEDS, async (ns) => {
  const rules = async () => {
    // Rules may repeat (no "File exists"): start from the local rule alone each time.
    await ip(ns, "rule flush");
    await ip(ns, "-6 rule flush");
    await again(ns, [
      "rule add pref 100 from 10.1.0.0/16 table 5",
      "rule add pref 101 from 10.2.0.0/16 table 6 proto static",
      "-6 rule add pref 102 from 2001:db8::/32 table 6",
      "rule add pref 32766 lookup main",
      "rule add pref 32767 lookup default",
      "-6 rule add pref 32766 lookup main",
    ]);
  };
  await sameFlush(ns, "rule flush table 5", rules, 1);
  await sameFlush(ns, "rule flush protocol static", rules, 1);
  await sameFlush(ns, "-6 rule flush", rules, 2);
  await sameFlush(ns, "rule flush", rules, 4);
});
