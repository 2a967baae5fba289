/** RTM_NEWPREFIX decoding (bytes a 6.18 kernel sent, and the same with the flag byte older kernels wrote). */
import { deepStrictEqual, equal } from "node:assert/strict";
import type { MessageView } from "../../src/core/message.ts";
import { decodeEvent } from "../../src/route/events.ts";
import { decodePrefix } from "../../src/route/prefix.ts";
import { Printer } from "../../cli/common/output.ts";
import { printPrefix } from "../../cli/ip/prefix_print.ts";

/** prefixmsg (inet6, ifindex 3, option 3, /64, flags 0xc0) + PREFIX_ADDRESS 2001:db8:2:: + cacheinfo 600/1200. */
const CAPTURED = "3c0000003400000000000000000000000a000000030000000340c000" +
  "1400010020010db80002000000000000000000000c00020058020000b0040000";

function view(hex: string): MessageView {
  const bytes = new Uint8Array(hex.match(/../g)!.map((x) => parseInt(x, 16)));
  const v = new DataView(bytes.buffer);
  return { bytes, view: v, offset: 0, length: bytes.length, type: v.getUint16(4, true), flags: 0, seq: 0, pid: 0 };
}

/** The captured message with another flag byte (offset 26). */
const withFlags = (flags: number) => CAPTURED.slice(0, 52) + flags.toString(16).padStart(2, "0") + CAPTURED.slice(54);

Deno.test("prefix: a newprefix event decoded from the kernel's bytes", () => {
  const ev = decodeEvent(view(CAPTURED));
  equal(ev.type, "newprefix");
  if (ev.type !== "newprefix") return;
  deepStrictEqual({ ...ev.prefix }, {
    family: "inet6",
    ifindex: 3,
    optionType: 3,
    prefixLen: 64,
    flags: 0xc0,
    onlink: true,
    autoconf: true,
    address: "2001:db8:2::",
    cacheinfo: { preferred: 600, valid: 1200 },
  });
});

Deno.test("prefix: on-link and autoconf in either flag encoding", () => {
  const flags = (f: number) => {
    const p = decodePrefix(view(withFlags(f)));
    return [p.onlink, p.autoconf];
  };
  deepStrictEqual(flags(0x03), [true, true]); // IF_PREFIX_ONLINK | IF_PREFIX_AUTOCONF (kernels before 2024)
  deepStrictEqual(flags(0x01), [true, false]);
  deepStrictEqual(flags(0x02), [false, true]);
  deepStrictEqual(flags(0x80), [true, false]); // the option's L bit (later kernels)
  deepStrictEqual(flags(0x40), [false, true]); // A
  deepStrictEqual(flags(0x20), [false, false]); // R only
  deepStrictEqual(flags(0x00), [false, false]);
});

Deno.test("prefix: printed as iproute2 6.1's print_prefix", () => {
  const text = (hex: string, family?: string) => {
    const out = new Printer({ json: false, pretty: false, oneline: false });
    const ev = decodeEvent(view(hex));
    if (ev.type === "newprefix") printPrefix(out, ev.prefix, (i) => `if${i}`, family);
    return out.text();
  };
  // iproute2 tests the old bits only, and writes no space between the length and `dev`.
  equal(text(CAPTURED), "prefix 2001:db8:2::/64dev if3 valid 1200 preferred 600 \n");
  equal(text(withFlags(0x03)), "prefix 2001:db8:2::/64dev if3 onlink autoconf valid 1200 preferred 600 \n");
  equal(text(CAPTURED, "inet"), "");
});
