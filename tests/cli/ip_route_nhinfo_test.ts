/**
 * `ip -d route` and `ip -d route get fibmatch` for routes using nexthop
 * objects (`nhid N`): the `nh_info` line (a JSON object with -j), against iproute2.
 */
import { ip, sameJson, sameText } from "./_run.ts";
import { kernelTestUnless, vethLab } from "./_setup.ts";
import { NO_NETNS_REASON } from "../_lib/netns.ts";

await kernelTestUnless(NO_NETNS_REASON, "ip -d route: nh_info of nhid routes matches iproute2", {
  needs: ["veth"],
}, async (ns) => {
  await vethLab(ns, ["10.0.0.1/24 dev p0", "2001:db8::1/64 dev p0 nodad"]);
  for (
    const step of [
      "nexthop add id 1 via 10.0.0.2 dev p0",
      "nexthop add id 2 dev p0",
      "nexthop add id 3 via 2001:db8::2 dev p0",
      "nexthop add id 4 blackhole",
      "nexthop add id 10 group 1/2,3",
      "route add 10.9.0.0/24 nhid 1",
      "route add 10.9.1.0/24 nhid 10",
      "route add 10.9.2.0/24 nhid 4",
      "route add 10.9.3.0/24 via 10.0.0.3",
      "-6 route add 2001:db8:9::/64 nhid 3",
    ]
  ) await ip(ns, step);
  const texts = ["-d route", "-d -o route", "-d -6 route", "-d -N route", "route", "-d route get fibmatch 10.9.1.1"];
  for (const args of texts) await sameText(ns, args.split(" "));
  await sameText(ns, ["-d", "-j", "-p", "route"]);
  for (const args of ["-d -j route", "-d -j -6 route", "-d -j route get fibmatch 10.9.0.1"]) {
    await sameJson(ns, args.split(" "));
  }
});
