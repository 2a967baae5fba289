/**
 * Traffic-control events (`tc` group): typed decoders for qdisc, class,
 * filter, chain and action notifications, and the table reader a resync
 * uses. Registered with the event stream when it is loaded; the stream loads
 * it only when the `tc` group is subscribed.
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { NLM_F } from "../core/header.ts";
import type { MessageView } from "../core/message.ts";
import { RTM, RTNLGRP } from "../route/constants.ts";
import { type NetworkEvent, registerEvent, registerResync, type ResyncTables, type TcChange } from "../route/events.ts";
import { decodeActionFlush, decodeActionMessage } from "./action.ts";
import { decodeChain } from "./chain.ts";
import { decodeClass, getClasses, type TcClass } from "./class.ts";
import { decodeFilter, type Filter, getFilters } from "./filter.ts";
import { decodeQdisc, getQdiscs } from "./qdisc.ts";

registerEvent(RTM.NEWQDISC, (m) => ({ type: "newqdisc", qdisc: decodeQdisc(m) }));
registerEvent(RTM.DELQDISC, (m) => ({ type: "delqdisc", qdisc: decodeQdisc(m) }));
registerEvent(RTM.NEWTCLASS, (m) => ({ type: "newtclass", tclass: decodeClass(m) }));
registerEvent(RTM.DELTCLASS, (m) => ({ type: "deltclass", tclass: decodeClass(m) }));
registerEvent(RTM.NEWTFILTER, (m) => withChange({ type: "newtfilter", filter: decodeFilter(m) }, filterChange(m)));
registerEvent(RTM.DELTFILTER, (m) => ({ type: "deltfilter", filter: decodeFilter(m) }));
registerEvent(RTM.NEWCHAIN, (m) => withChange({ type: "newchain", chain: decodeChain(m) }, filterChange(m)));
registerEvent(RTM.DELCHAIN, (m) => ({ type: "delchain", chain: decodeChain(m) }));
registerEvent(
  RTM.NEWACTION,
  (m) => withChange({ type: "newaction", actions: decodeActionMessage(m) }, actionChange(m)),
);
registerEvent(
  RTM.DELACTION,
  (m) =>
    m.flags & NLM_F.ROOT
      ? { type: "delaction", actions: decodeActionFlush(m), change: "flushed" }
      : { type: "delaction", actions: decodeActionMessage(m) },
);
registerResync((conn, g) => (g.has(RTNLGRP.TC) ? readTc(conn) : Promise.resolve({})));

/** A filter's or chain's: create and exclusive is an add, create alone a replace (tc_filter.c's reading). */
function filterChange(m: MessageView): TcChange | undefined {
  if (!(m.flags & NLM_F.CREATE)) return undefined;
  return m.flags & NLM_F.EXCL ? "added" : "replaced";
}

/** An action's: replace wins over create (m_action.c's reading). */
function actionChange(m: MessageView): TcChange | undefined {
  if (m.flags & NLM_F.REPLACE) return "replaced";
  return m.flags & NLM_F.CREATE ? "added" : undefined;
}

/** The event, with `change` only when there is one (so that events compare equal to literals without it). */
function withChange<E extends NetworkEvent>(ev: E, change: TcChange | undefined): E {
  if (change !== undefined) (ev as { change?: TcChange }).change = change;
  return ev;
}

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
