/**
 * The light link lookup (src/route/link_lookup.ts) against the full link
 * schema: the same attributes, and the same request bytes as iproute2's.
 */
import { deepStrictEqual as assertEquals, equal, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import { LINK_ATTRS } from "../../src/route/link_attrs.ts";
import { linkFindRequest, vrfTableRequest } from "../../src/route/link.ts";
import { LINK_LOOKUP_MESSAGE, linkLookupRequest } from "../../src/route/link_lookup.ts";

Deno.test("link lookup: its attributes are the full link schema's, id, name and type", () => {
  const fields = LINK_LOOKUP_MESSAGE.attrs.fields;
  equal(fields.length, 4); // IFNAME, EXT_MASK, PROP_LIST (alternative names in dumps), ALT_IFNAME
  for (const f of fields) {
    const full = LINK_ATTRS.byName.get(f.name);
    assertEquals({ key: full?.key, id: full?.id, type: full?.spec.type }, { key: f.key, id: f.id, type: f.spec.type });
    equal(full?.spec, f.spec, f.key); // declared once: the very same declaration (and nested schema)
  }
});

Deno.test("link lookup: by name, long (alternative) name and index, as iproute2 asks", () => {
  // ip link show dev p0 (RTEXT_FILTER_VF): family AF_PACKET, IFLA_IFNAME, IFLA_EXT_MASK.
  const byName = linkLookupRequest("p0", 1);
  equal(byName.length, 48);
  equal(byName[16], 17); // AF_PACKET
  assertEquals([...byName.subarray(32, 40)], [7, 0, 3, 0, 0x70, 0x30, 0, 0]); // IFLA_IFNAME "p0"
  assertEquals([...byName.subarray(40, 48)], [8, 0, 29, 0, 1, 0, 0, 0]); // IFLA_EXT_MASK 1
  const long = linkLookupRequest("a-very-long-alternative-name", 8);
  equal(new DataView(long.buffer, long.byteOffset).getUint16(34, true), 53); // IFLA_ALT_IFNAME
  const byIndex = linkLookupRequest(7, 8);
  equal(new DataView(byIndex.buffer, byIndex.byteOffset).getInt32(20, true), 7); // ifi_index
  equal(byIndex[16], 0);
});

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

Deno.test("golden: a device word's look-up, as iproute2's commands send it (ll_link_get)", () => {
  // nlcapture -- ip route add 10.1.0.0/24 dev p0: no family, IFLA_EXT_MASK (VF | SKIP_STATS), IFLA_IFNAME.
  equal(
    hex(linkFindRequest("p0")),
    "300000001200010000000000000000000000000000000000000000000000000008001d00090000000700030070300000",
  );
  // A name of 16 characters or more goes as IFLA_ALT_IFNAME.
  equal(
    hex(linkFindRequest("a-very-long-alternative-nm")),
    "480000001200010000000000000000000000000000000000000000000000000008001d00090000001f003500" +
      "612d766572792d6c6f6e672d616c7465726e61746976652d6e6d0000",
  );
  throws(() => linkFindRequest("a/b"), ValidationError);
});

Deno.test("golden: a `vrf NAME` word's look-up, as iproute2's ipvrf_get_table sends it", () => {
  // nlcapture -- ip [-4] route add 10.60.0.0/16 dev p0 vrf default: the command's family, IFLA_IFNAME alone.
  equal(
    hex(vrfTableRequest("default")),
    "2c000000120001000000000000000000000000000000000000000000000000000c00030064656661756c7400",
  );
  equal(
    hex(vrfTableRequest("default", 2)),
    "2c000000120001000000000000000000020000000000000000000000000000000c00030064656661756c7400",
  );
  throws(() => vrfTableRequest("default", 256), ValidationError);
  throws(() => vrfTableRequest(""), ValidationError);
});

Deno.test("link lookup: a bad device is refused naming the field", () => {
  throws(() => linkLookupRequest("", 1), ValidationError);
  throws(() => linkLookupRequest("a b", 1), ValidationError);
  throws(() => linkLookupRequest(0, 1), ValidationError);
});
