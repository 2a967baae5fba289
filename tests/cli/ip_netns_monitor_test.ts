/**
 * `ip netns monitor` against iproute2: both watch /run/netns side by side while
 * named namespaces are added and deleted (by iproute2 and by the library), and
 * print the same lines. Other programs add and remove namespaces meanwhile, so
 * only lines naming this test's namespaces are compared. An idle monitor must
 * also cost no CPU.
 */
import assert from "node:assert/strict";
import { addNetns, deleteNetns } from "../../mod.ts";
import { NO_NETNS_REASON, uniqueNetnsName } from "../_lib/netns.ts";
import { iproute2 } from "./_run.ts";
import { type Monitor, startMonitors, stopMonitor, withOtherNetns } from "./_setup.ts";

const ignore = NO_NETNS_REASON !== undefined;
const why = NO_NETNS_REASON ? ` (skipped: ${NO_NETNS_REASON})` : "";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether the process has an inotify descriptor with a watch on it (the monitor is listening). */
async function watching(pid: number): Promise<boolean> {
  try {
    for await (const fd of Deno.readDir(`/proc/${pid}/fdinfo`)) {
      try {
        if ((await Deno.readTextFile(`/proc/${pid}/fdinfo/${fd.name}`)).includes("inotify wd:")) return true;
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    // the process has not started or has ended
  }
  return false;
}

/** The CPU time (user + system, in clock ticks) the process has used so far. */
async function cpuTicks(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime and stime (fields 14 and 15 of the whole line)
}

/** The lines of `out` that name one of `names`. */
function mine(out: string, names: string[]): string {
  return out.split("\n").filter((l) => names.includes(l.slice(l.indexOf(" ") + 1))).join("\n");
}

Deno.test({ name: `ip netns monitor: prints what iproute2 prints, idle costs no CPU${why}`, ignore }, async () => {
  await withOtherNetns("D", async (ns) => {
    const [theirs, ours] = startMonitors(ns, ["netns", "monitor"]);
    const names = [uniqueNetnsName("D"), uniqueNetnsName("D")];
    try {
      for (let i = 0; !(await watching(theirs.child.pid)) || !(await watching(ours.child.pid)); i++) {
        assert.ok(i < 400, "the monitors did not start watching");
        await sleep(25);
      }
      // Idle: next to no CPU over a second. A polling loop would use most of the 100 ticks; a few are
      // slack for the runtime's own start-up tail (background compilation) on a loaded machine.
      const before = await cpuTicks(ours.child.pid);
      await sleep(1000);
      const used = (await cpuTicks(ours.child.pid)) - before;
      assert.ok(used <= 5, `an idle monitor used ${used} ticks of CPU in a second`);

      const r = await iproute2(["netns", "add", names[0]]);
      assert.equal(r.code, 0, r.stderr);
      await addNetns(names[1]);
      assert.equal((await iproute2(["netns", "delete", names[1]])).code, 0);
      await deleteNetns(names[0]);
      const expected = [`add ${names[0]}`, `add ${names[1]}`, `delete ${names[1]}`, `delete ${names[0]}`].join("\n");
      const settled = (m: Monitor) => mine(m.out, names) === expected;
      for (let i = 0; !settled(theirs) || !settled(ours); i++) {
        if (i >= 200) break;
        await sleep(25);
      }
    } finally {
      await Promise.all([stopMonitor(theirs), stopMonitor(ours)]);
      for (const n of names) await deleteNetns(n).catch(() => {});
    }
    const a = mine(theirs.out, names), b = mine(ours.out, names);
    assert.notEqual(a, "", "iproute2 printed nothing");
    assert.equal(b, a);
  });
});
