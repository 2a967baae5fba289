/**
 * IPv6 address labels against the kernel, in a private namespace (each has
 * its own table, filled with RFC 6724's defaults): list, add (for any device
 * and for one), delete, flush; bad input refused before anything is sent;
 * the kernel's refusal of a duplicate. The request bytes are compared with
 * iproute2's in tests/cli/ip_addrlabel_test.ts.
 */
import { deepStrictEqual, equal, rejects, throws } from "node:assert/strict";
import { NetlinkError, ValidationError } from "../../mod.ts";
import { addressLabelRequest } from "../../src/route/addrlabel.ts";
import { kernelTest } from "../_lib/netns.ts";

await kernelTest("address labels: the defaults, add, delete and flush", { needs: ["veth"] }, async (conn) => {
  await conn.addLink({ kind: "veth", name: "v0", peer: { name: "v1" } });
  const v0 = (await conn.getLink("v0")).index;
  const show = async () =>
    (await conn.getAddressLabels()).map((l) => `${l.address}/${l.prefixlen} ${l.index} ${l.label}`);
  const defaults = await show();
  equal(defaults.includes("::1/128 0 0"), true, defaults.join(", "));
  equal(defaults.includes("::/0 0 1"), true);
  await conn.addAddressLabel({ prefix: "2001:db8::/32", label: 100 });
  await conn.addAddressLabel({ prefix: "2001:db9::/48", label: 7, dev: "v0" });
  const added = await show();
  equal(added.includes("2001:db8::/32 0 100"), true, added.join(", "));
  equal(added.includes(`2001:db9::/48 ${v0} 7`), true, added.join(", "));
  await rejects(conn.addAddressLabel({ prefix: "2001:db8::/32", label: 100 }), (e: NetlinkError) => e.isExists());
  await conn.delAddressLabel({ prefix: "2001:db8::/32", label: 100 });
  equal((await show()).includes("2001:db8::/32 0 100"), false);
  const flushed = await conn.flushAddressLabels();
  equal(flushed.length, defaults.length + 1);
  deepStrictEqual(await conn.getAddressLabels(), []);
});

await kernelTest("address labels: bad input is refused before anything is sent", {}, async (conn) => {
  const before = await conn.getAddressLabels();
  for (
    const o of [
      { prefix: "2001:db8::/200", label: 1 },
      { prefix: "2001:db8::/32", label: 0xffffffff },
      { prefix: "2001:db8::/32", label: -1 },
    ]
  ) {
    throws(() => addressLabelRequest("add", o), ValidationError, JSON.stringify(o));
    await rejects(conn.addAddressLabel(o), ValidationError);
  }
  // Labels are IPv6's: an IPv4 prefix is sent, as `ip addrlabel` sends it, and the kernel refuses it.
  await rejects(conn.addAddressLabel({ prefix: "10.0.0.0/8", label: 1 }), NetlinkError);
  await rejects(
    conn.addAddressLabel({ prefix: "2001:db8::/32", label: 1, dev: "nosuch" }),
    (e: NetlinkError) => e.isNotFound(),
  );
  deepStrictEqual(await conn.getAddressLabels(), before);
});
