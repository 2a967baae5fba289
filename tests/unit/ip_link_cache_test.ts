/**
 * The CLI's link table looking up only the devices a command names
 * (cli/ip/links.ts: `find`, `planning`, `lookup`), against a fake connection
 * that records each name asked for, as iproute2's ll_name_to_index asks.
 */
import { deepEqual, equal, rejects } from "node:assert/strict";
import type { Connection, Link } from "../../mod.ts";
import { ValidationError } from "../../src/core/errors.ts";
import { LinkCache } from "../../cli/ip/links.ts";

const LINKS: Record<string, Partial<Link>> = {
  p0: { index: 2, name: "p0" },
  p1: { index: 3, name: "p1", propList: { altIfname: ["uplink"] } },
};

/** A connection whose findLink answers from LINKS (by name or alternative name) and logs each name. */
function fakeConnection(asked: string[]): Connection {
  const findLink = (name: string) => {
    asked.push(name);
    if (name.includes("/")) return Promise.reject(new ValidationError("name", name, "not a name"));
    const l = Object.values(LINKS).find((l) => l.name === name || l.propList?.altIfname?.includes(name));
    return Promise.resolve(l as Link | undefined);
  };
  return { findLink } as unknown as Connection;
}

Deno.test("find: each name once, in order; names without a link left out", async () => {
  const asked: string[] = [];
  const links = await LinkCache.find(fakeConnection(asked), ["p1", undefined, "p0", "p1", "nosuch", "a/b"]);
  deepEqual(asked, ["p1", "p0", "nosuch", "a/b"]);
  deepEqual(links.list.map((l) => l.index), [3, 2]);
  equal(links.index("uplink"), 3);
  equal(links.index("nosuch"), 0);
  equal(links.index("if7"), 7); // iproute2's last resort
});

Deno.test("planning: runs again after each round of names it had not looked up, in the order asked", async () => {
  const asked: string[] = [];
  let runs = 0;
  const plan = (links: LinkCache) => {
    runs++;
    const dev = links.index("p1");
    if (!dev) throw new Error("Cannot find device p1"); // as a planner stops at the first unknown device
    return { dev, master: links.index("p0"), kind: links.get("uplink")?.index, none: links.index("ghost") };
  };
  const result = await LinkCache.planning(fakeConnection(asked), plan);
  deepEqual(result, { dev: 3, master: 2, kind: 3, none: 0 });
  deepEqual(asked, ["p1", "p0", "ghost"]); // "uplink" is p1's alternative name: known once p1 is
  equal(runs, 3);
});

Deno.test("planning: the last run's error is the answer; a plan that names nothing asks nothing", async () => {
  const asked: string[] = [];
  const conn = fakeConnection(asked);
  await rejects(
    LinkCache.planning(conn, (links) => {
      if (!links.index("nosuch")) throw new Error('Cannot find device "nosuch"');
    }),
    /nosuch/,
  );
  deepEqual(asked, ["nosuch"]);
  equal(await LinkCache.planning(conn, () => 42), 42);
  deepEqual(asked, ["nosuch"]);
});

Deno.test("lookup: the table first, then the kernel by name, then ifN", async () => {
  const asked: string[] = [];
  const conn = fakeConnection(asked);
  const links = new LinkCache([LINKS.p0 as Link]);
  equal(await links.lookup(conn, "p0"), 2);
  equal(await links.lookup(conn, "uplink"), 3);
  equal(await links.lookup(conn, "if9"), 9);
  equal(await links.lookup(conn, "nosuch"), 0);
  deepEqual(asked, ["uplink", "if9", "nosuch"]);
});
