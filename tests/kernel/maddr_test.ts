/**
 * Static link-layer multicast addresses against the real kernel: added and
 * removed through the library in a namespace, read back with the library and
 * with iproute2 (`ip -j maddress`), and the errors the kernel and the
 * validation give.
 */
import assert from "node:assert/strict";
import {
  addMulticastAddress,
  deleteMulticastAddress,
  getMulticastMemberships,
  NetlinkError,
  ValidationError,
} from "../../mod.ts";
import { kernelTest } from "../_lib/netns.ts";
import { ip } from "../cli/_run.ts";

const NEEDS = { needs: ["veth"] };

async function staticOn(ns: string, dev: string): Promise<string[]> {
  const list = await getMulticastMemberships({ netns: ns, dev, families: ["packet"] });
  return list.filter((m) => m.static).map((m) => m.address);
}

await kernelTest("maddr: add and delete a static address in a namespace", NEEDS, async (_conn, ns) => {
  await ip(ns, "link add p0 type veth peer name p1");
  await addMulticastAddress({ netns: ns, dev: "p0", address: "33:33:00:00:00:07" });
  await addMulticastAddress({ netns: ns, dev: "p0", address: new Uint8Array([1, 0, 0x5e, 0, 0, 9]) });
  assert.deepEqual(await staticOn(ns, "p0"), ["33:33:00:00:00:07", "01:00:5e:00:00:09"]);
  const theirs = JSON.parse(await ip(ns, "-j maddress show dev p0")) as { maddr: { link?: string }[] }[];
  assert.ok(theirs[0].maddr.some((m) => m.link === "33:33:00:00:00:07"));
  // Static is one flag, not a count: a second add changes nothing and one delete removes it.
  await addMulticastAddress({ netns: ns, dev: "p0", address: "33:33:00:00:00:07", socketFamily: "inet6" });
  const twice = await getMulticastMemberships({ netns: ns, dev: "p0", families: ["packet"] });
  assert.equal(twice.find((m) => m.address === "33:33:00:00:00:07")?.users, 1);
  await deleteMulticastAddress({ netns: ns, dev: "p0", address: "33:33:00:00:00:07", socketFamily: "packet" });
  await deleteMulticastAddress({ netns: ns, dev: "p0", address: "01:00:5e:00:00:09" });
  assert.deepEqual(await staticOn(ns, "p0"), []);
});

await kernelTest("maddr: kernel errors and validation", NEEDS, async (_conn, ns) => {
  await ip(ns, "link add p0 type veth peer name p1");
  const gone = { netns: ns, dev: "p0", address: "33:33:00:00:00:08" };
  await assert.rejects(deleteMulticastAddress(gone), (e: unknown) => e instanceof NetlinkError && e.code === "ENOENT");
  await assert.rejects(
    addMulticastAddress({ netns: ns, dev: "nope0", address: "33:33:00:00:00:08" }),
    (e: unknown) => e instanceof NetlinkError && e.code === "ENODEV" && e.operation === "ioctl",
  );
  for (
    const [bad, field] of [
      [{ ...gone, address: "33:33:00:00:00" }, "address"],
      [{ ...gone, address: "zz:33:00:00:00:01" }, "address"],
      [{ ...gone, dev: "" }, "dev"],
      [{ ...gone, dev: "a-name-far-too-long" }, "dev"],
      [{ ...gone, socketFamily: "mpls" }, "socketFamily"],
    ] as const
  ) {
    await assert.rejects(
      addMulticastAddress(bad as Parameters<typeof addMulticastAddress>[0]),
      (e: unknown) => e instanceof ValidationError && e.field === field,
    );
  }
});
