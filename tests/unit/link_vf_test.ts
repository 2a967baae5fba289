/**
 * Golden tests for SR-IOV VF settings (`ip link set DEV vf N …`) against
 * iproute2 6.1's bytes (tests/fixtures/link_vf.json, captured by
 * tests/fixtures/captures/link_vf.ts): each setting, VLAN lists, the old and
 * new rates, GUIDs, and VF settings among other words. Also: bad settings
 * are refused naming the field, and rate bounds left out are taken from the
 * link's VFs as iproute2 takes them.
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import { checkSetLink, linkSetRequest } from "../../src/route/link.ts";
import type { Link, LinkVfOptions } from "../../src/route/link_types.ts";
import { needsCurrentRates, withCurrentVfRates } from "../../src/route/link_vf.ts";
import { goldenTests, loadFixtures } from "../_lib/golden.ts";

const data = await loadFixtures("link_vf");
const { p0 } = data.indexes;

const vf = (...vfs: LinkVfOptions[]) => () => linkSetRequest(p0, { vfs });

goldenTests("link vf", data, {
  "mac": vf({ vf: 0, mac: "02:00:00:00:00:01" }),
  "vlan": vf({ vf: 0, vlan: { id: 5, qos: 2 } }),
  "vlan.list": vf({
    vf: 0,
    vlan: { id: 5, protocol: "802.1ad" },
    moreVlans: [{ id: 6, qos: 1 }, { id: 7, protocol: "802.1ad" }],
  }),
  "rate": vf({ vf: 1, rate: 100 }),
  "rates": vf({ vf: 1, maxTxRate: 300, minTxRate: 100 }),
  "rate.and.min": vf({ vf: 1, rate: 200, minTxRate: 30 }),
  "settings": vf({ vf: 0, spoofchk: true, trust: false, state: "enable", queryRss: true }),
  "state.disable": vf({ vf: 2, state: "disable" }),
  "guids": vf({ vf: 0, nodeGuid: "00:11:22:33:44:55:66:77", portGuid: "00:11:22:33:44:55:66:78" }),
  "among.words": () => linkSetRequest(p0, { mtu: 1400, vfs: [{ vf: 0, trust: true }], up: true }),
});

Deno.test("vf settings: bad values are refused, naming the field", () => {
  const bad: [LinkVfOptions[], RegExp][] = [
    [[{ vf: -1, trust: true }], /vfs\[0\]\.vf/],
    [[{ vf: 0, mac: "zz" }], /vfs\[0\]\.mac/],
    [[{ vf: 0, vlan: { id: 4096 } }], /vfs\[0\]\.vlan\.id/],
    [[{ vf: 0, vlan: { id: 5, protocol: "802.1x" as never } }], /vfs\[0\]\.vlan\.protocol/],
    [[{ vf: 0, moreVlans: [{ id: 5 }] }], /vfs\[0\]\.moreVlans/],
    [[{ vf: 0, state: "up" as never }], /vfs\[0\]\.state/],
    [[{ vf: 0, trust: "yes" as never }], /vfs\[0\]\.trust/],
    [[{ vf: 0, nodeGuid: "00:11" }], /vfs\[0\]\.nodeGuid/],
    [[{ vf: 0, maxTxRate: 10, minTxRate: 20 }], /vfs\[0\]\.minTxRate/],
    [[{ vf: 0, speed: 5 } as never], /vfs\[0\]\.speed/],
    [[{ vf: 0 }], /vfs\[0\]/],
    [[], /vfs/],
  ];
  for (const [vfs, field] of bad) {
    throws(() => checkSetLink({ vfs }), (e: Error) => e instanceof ValidationError && field.test(e.message));
  }
  // a bound left out is read when the link is changed: the check takes any
  checkSetLink({ vfs: [{ vf: 0, maxTxRate: 100 }] });
});

Deno.test("vf rates: a bound left out comes from the link's VF (0 without VFs), as iproute2 reads it", () => {
  assertEquals(needsCurrentRates({ vf: 0, maxTxRate: 5 }), true);
  assertEquals(needsCurrentRates({ vf: 0, rate: 5, minTxRate: 1 }), false);
  assertEquals(needsCurrentRates({ vf: 0, rate: 5 }), false);
  const withVfs = {
    numVf: 2,
    vfinfoList: {
      info: [{ rate: { vf: 0, minTxRate: 10, maxTxRate: 100 } }, { rate: { vf: 1, minTxRate: 20, maxTxRate: 200 } }],
    },
  } as unknown as Link;
  assertEquals(withCurrentVfRates([{ vf: 1, maxTxRate: 300 }], withVfs), [{ vf: 1, maxTxRate: 300, minTxRate: 20 }]);
  assertEquals(withCurrentVfRates([{ vf: 0, minTxRate: 5 }], withVfs), [{ vf: 0, minTxRate: 5, maxTxRate: 100 }]);
  assertEquals(withCurrentVfRates([{ vf: 0, minTxRate: 5 }], {} as Link), [{ vf: 0, minTxRate: 5, maxTxRate: 0 }]);
  throws(() => withCurrentVfRates([{ vf: 7, minTxRate: 5 }], withVfs), /vfs\[0\]\.vf/);
});
