/**
 * The light link lookup (src/route/link_lookup.ts) against the full link
 * schema: the same attributes, and the same request bytes as iproute2's.
 */
import { deepStrictEqual as assertEquals, equal, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import { LINK_ATTRS } from "../../src/route/link_attrs.ts";
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

Deno.test("link lookup: a bad device is refused naming the field", () => {
  throws(() => linkLookupRequest("", 1), ValidationError);
  throws(() => linkLookupRequest("a b", 1), ValidationError);
  throws(() => linkLookupRequest(0, 1), ValidationError);
});
