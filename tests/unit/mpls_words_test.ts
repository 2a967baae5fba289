/**
 * Command-line words without a kernel: MPLS label stacks as iproute2's
 * get_addr/get_prefix read them for AF_MPLS, and realm names in `ip rule`
 * (rtnl_rtrealm_a2n: a name resolves even when nothing was printed before).
 */
import assert from "node:assert/strict";
import { AF_MPLS, getAddr, getPrefix, mplsText, prefixText, readAddr, readPrefix } from "../../cli/common/inet.ts";
import { realmsValue } from "../../cli/common/names.ts";

Deno.test("MPLS labels: stacks, C numbers, bottom-of-stack bit", () => {
  const p = getAddr("100/0x10/017", AF_MPLS);
  assert.equal(p.family, AF_MPLS);
  assert.equal(p.bytelen, 12);
  assert.equal(p.bitlen, 20);
  assert.deepEqual([...p.bytes.subarray(0, 12)], [0, 0x06, 0x40, 0, 0, 0x01, 0, 0, 0, 0, 0xf1, 0]);
  assert.equal(mplsText(p), "100/16/15");
  assert.equal(prefixText(p, true), "100/16/15");
  assert.equal(mplsText(getAddr("1048575", AF_MPLS)), "1048575");
});

Deno.test("MPLS labels: what iproute2 refuses", () => {
  for (const bad of ["1048576", "default", "any", "all", "fe80::1", "10.0.0.1", "1/", "/1", "x", "", "1//2"]) {
    assert.equal(readAddr(bad, AF_MPLS), undefined, bad);
  }
  assert.throws(() => getAddr("1.2", AF_MPLS), { message: 'Error: mpls address is expected rather than "1.2".' });
  assert.throws(() => getPrefix("default", AF_MPLS), {
    message: 'Error: mpls prefix is expected rather than "default".',
  });
});

Deno.test("MPLS prefixes: one label, an optional length up to 20", () => {
  assert.equal(readPrefix("100", AF_MPLS)?.bitlen, 20);
  assert.equal(readPrefix("100/16", AF_MPLS)?.bitlen, 16);
  assert.equal(readPrefix("100/16", AF_MPLS)?.lenGiven, true);
  assert.equal(readPrefix("100/200", AF_MPLS), undefined);
});

Deno.test("ip rule realms: names from rt_realms resolve without a prior lookup", async () => {
  let table = "";
  try {
    table = await Deno.readTextFile("/etc/iproute2/rt_realms");
  } catch { /* no file: only numbers */ }
  // First of all lookups in this process: realm 0's name (`cosmos` in iproute2's file), which used to be
  // found only once another lookup had loaded the file (realm 0 has a built-in name, "unknown").
  const zero = /^\s*0\s+(\S+)/m.exec(table)?.[1];
  if (zero !== undefined) {
    assert.equal(realmsValue(zero), 0);
    assert.equal(realmsValue(`${zero}/2`), 2);
    assert.equal(realmsValue(`2/${zero}`), 2 << 16);
  }
  assert.equal(realmsValue("3/4"), (3 << 16) | 4);
  assert.equal(realmsValue("0x10/"), 0x10 << 16);
  assert.equal(realmsValue("70000"), 70000);
  assert.equal(realmsValue("nosuch"), undefined);
});
