/**
 * Traffic-control events (`tc` group): typed decoders for qdisc, class,
 * filter, chain and action notifications, and the table reader a resync
 * uses. Registered with the event stream when it is loaded; the stream loads
 * it only when the `tc` group is subscribed.
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { RTM, RTNLGRP } from "../route/constants.ts";
import { registerEvent, registerResync, type ResyncTables } from "../route/events.ts";
import { decodeActionMessage } from "./action.ts";
import { decodeChain } from "./chain.ts";
import { decodeClass, getClasses, type TcClass } from "./class.ts";
import { decodeFilter, type Filter, getFilters } from "./filter.ts";
import { decodeQdisc, getQdiscs } from "./qdisc.ts";

registerEvent(RTM.NEWQDISC, (m) => ({ type: "newqdisc", qdisc: decodeQdisc(m) }));
registerEvent(RTM.DELQDISC, (m) => ({ type: "delqdisc", qdisc: decodeQdisc(m) }));
registerEvent(RTM.NEWTCLASS, (m) => ({ type: "newtclass", tclass: decodeClass(m) }));
registerEvent(RTM.DELTCLASS, (m) => ({ type: "deltclass", tclass: decodeClass(m) }));
registerEvent(RTM.NEWTFILTER, (m) => ({ type: "newtfilter", filter: decodeFilter(m) }));
registerEvent(RTM.DELTFILTER, (m) => ({ type: "deltfilter", filter: decodeFilter(m) }));
registerEvent(RTM.NEWCHAIN, (m) => ({ type: "newchain", chain: decodeChain(m) }));
registerEvent(RTM.DELCHAIN, (m) => ({ type: "delchain", chain: decodeChain(m) }));
registerEvent(RTM.NEWACTION, (m) => ({ type: "newaction", actions: decodeActionMessage(m) }));
registerEvent(RTM.DELACTION, (m) => ({ type: "delaction", actions: decodeActionMessage(m) }));
registerResync((conn, g) => (g.has(RTNLGRP.TC) ? readTc(conn) : Promise.resolve({})));

/** Every qdisc, and the classes and filters of each device with a qdisc: the `tc` group's tables. */
async function readTc(conn: NetlinkConnection): Promise<Partial<ResyncTables>> {
  const qdiscs = await getQdiscs(conn);
  const classes: TcClass[] = [];
  const filters: Filter[] = [];
  for (const dev of new Set(qdiscs.map((q) => q.ifindex))) classes.push(...await getClasses(conn, { dev }));
  for (const q of qdiscs) {
    const hooks = q.kind === "clsact" ? ["ingress", "egress"] : q.kind === "ingress" ? ["ingress"] : [q.handle];
    for (const parent of hooks) filters.push(...await getFilters(conn, { dev: q.ifindex, parent }));
  }
  return { qdiscs, classes, filters };
}
