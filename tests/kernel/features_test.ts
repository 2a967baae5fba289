/**
 * Link kinds this project creates before their typed options exist: a test per
 * module that the host kernel may lack. They skip here with the reason and
 * run for real where the module exists (the full-kernel VM lane).
 */
import { deepStrictEqual, equal } from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";

for (const [module, kind] of [["dummy", "dummy"], ["ifb", "ifb"], ["bridge", "bridge"], ["nlmon", "nlmon"]] as const) {
  await kernelTest(`${kind} links: create, read back, delete`, { needs: [module] }, async (conn) => {
    await conn.addLink({ kind, name: `${kind.slice(0, 4)}0`, mtu: 1400 });
    const link = await conn.getLink(`${kind.slice(0, 4)}0`);
    deepStrictEqual([link.linkinfo?.kind, link.mtu], [kind, 1400]);
    await conn.delLink(link.index);
    equal((await conn.getLinks({ kind })).length, 0);
  });
}
