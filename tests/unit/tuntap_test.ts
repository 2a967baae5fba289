/**
 * TUN/TAP without a kernel: option checks (refused before /dev/net/tun or a
 * namespace is opened), the TUNSETIFF flags they make, struct ifreq bytes, and
 * the IFLA_TUN_* decoder.
 */
import { deepStrictEqual, equal, throws } from "node:assert/strict";
import { ValidationError } from "../../mod.ts";
import { checkTunOptions, createTun, decodeTunData, TUN_FLAG, type TunOptions } from "../../src/tuntap/mod.ts";
import { decodeIfreq, encodeIfreq } from "../../ffi/tun.ts";

Deno.test("tuntap: options make iproute2's TUNSETIFF flags", () => {
  equal(checkTunOptions({ mode: "tun" }).flags, TUN_FLAG.TUN | TUN_FLAG.NO_PI);
  equal(checkTunOptions({ mode: "tap", packetInfo: true }).flags, TUN_FLAG.TAP);
  const all = checkTunOptions({
    mode: "tap",
    name: "vm%d",
    vnetHdr: true,
    multiQueue: true,
    oneQueue: true,
    napi: true,
    napiFrags: true,
    noCarrier: true,
    exclusive: true,
    offload: ["csum", "tso4", "tso6"],
  });
  equal(all.flags, 0x2 | 0x1000 | 0x4000 | 0x100 | 0x2000 | 0x10 | 0x20 | 0x40 | 0x8000);
  equal(all.offload, 0x7);
  equal(all.name, "vm%d");
  equal(checkTunOptions({ mode: "tun" }).name, "");
});

Deno.test("tuntap: bad options name the field and value", () => {
  const bad: [unknown, string][] = [
    [{}, "mode"],
    [{ mode: "tunnel" }, "mode"],
    [{ mode: "tun", name: "" }, "name"],
    [{ mode: "tun", name: "0123456789abcdef" }, "name"],
    [{ mode: "tun", name: "a/b" }, "name"],
    [{ mode: "tun", name: "a:b" }, "name"],
    [{ mode: "tun", name: "a b" }, "name"],
    [{ mode: "tun", name: ".." }, "name"],
    [{ mode: "tun", name: "a%s" }, "name"],
    [{ mode: "tun", name: "a%d%d" }, "name"],
    [{ mode: "tun", persist: "yes" }, "persist"],
    [{ mode: "tun", owner: -1 }, "owner"],
    [{ mode: "tun", group: 1.5 }, "group"],
    [{ mode: "tun", vnetHdrSize: 12 }, "vnetHdrSize"],
    [{ mode: "tun", vnetHdr: true, vnetHdrSize: 4 }, "vnetHdrSize"],
    [{ mode: "tun", vnetHdr: true, offload: ["tso9"] }, "offload[0]"],
    [{ mode: "tun", offload: ["csum"] }, "offload"],
    [{ mode: "tap", napiFrags: true }, "napiFrags"],
    [{ mode: "tun", napi: true, napiFrags: true }, "napiFrags"],
    [{ mode: "tun", readBuffer: 10 }, "readBuffer"],
  ];
  for (const [options, field] of bad) {
    throws(() => checkTunOptions(options as TunOptions), (e) => e instanceof ValidationError && e.field === field);
  }
});

function openFds(): number {
  return [...Deno.readDirSync("/proc/self/fd")].length;
}

Deno.test("tuntap: createTun refuses bad options before opening anything", () => {
  const before = openFds();
  // A namespace that does not exist would fail with ENOENT if it were opened first.
  for (
    const options of [
      { mode: "tun", name: "a/b", netns: "no-such-netns-S" },
      { mode: "bad", netns: "no-such-netns-S" },
      { mode: "tap", owner: 2 ** 32, netns: "no-such-netns-S" },
    ]
  ) {
    throws(() => createTun(options as TunOptions), ValidationError);
  }
  equal(openFds(), before);
});

Deno.test("tuntap: struct ifreq carries the name and flags at offset 16", () => {
  const b = encodeIfreq("tap7", TUN_FLAG.TAP | TUN_FLAG.NO_PI);
  equal(b.length, 40);
  deepStrictEqual([...b.subarray(0, 5)], [0x74, 0x61, 0x70, 0x37, 0]);
  deepStrictEqual([...b.subarray(16, 18)], [0x02, 0x10]);
  deepStrictEqual(decodeIfreq(b), { name: "tap7", flags: 0x1002 });
  // Fifteen bytes fit with their NUL; sixteen do not.
  equal(decodeIfreq(encodeIfreq("0123456789abcde", 1)).name, "0123456789abcde");
  throws(() => encodeIfreq("0123456789abcdef", 1), ValidationError);
  equal(decodeIfreq(encodeIfreq("", 0x0200)).name, "");
});

Deno.test("tuntap: IFLA_TUN_* decode (a multi-queue tap with owner and group)", () => {
  const attr = (type: number, bytes: number[]) => {
    const len = 4 + bytes.length;
    const pad = (4 - (len % 4)) % 4;
    return [len, 0, type, 0, ...bytes, ...new Array(pad).fill(0)];
  };
  const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
  const raw = new Uint8Array([
    ...attr(3, [2]),
    ...attr(1, u32(1000)),
    ...attr(2, u32(100)),
    ...attr(4, [1]),
    ...attr(5, [1]),
    ...attr(6, [0]),
    ...attr(7, [1]),
    ...attr(8, u32(4)),
    ...attr(9, u32(1)),
  ]);
  deepStrictEqual(decodeTunData(raw), {
    type: "tap",
    owner: 1000,
    group: 100,
    pi: true,
    vnetHdr: true,
    persist: false,
    multiQueue: true,
    numQueues: 4,
    numDisabledQueues: 1,
  });
  deepStrictEqual(decodeTunData(new Uint8Array(attr(3, [9]))), { type: 9 });
});
