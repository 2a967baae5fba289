/**
 * Filter chains: add, delete, list — `tc chain`. A chain may carry a filter
 * template (a kind and options every filter of the chain must fit).
 *
 * @module
 */
import type { DumpOptions, NetlinkConnection } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { NLM_F, REQUEST_FLAGS } from "../core/header.ts";
import { encodeMessage, type MessageView } from "../core/message.ts";
import { MessageWriter } from "../core/writer.ts";
import { RTM } from "../route/constants.ts";
import { resolveDev } from "../route/link_lookup.ts";
import { intIn } from "./common.ts";
import { decodeTcObject, type TcObject } from "./decode.ts";
import { FILTER_MESSAGE, type FilterKindOptions, type FilterPlace, place, protocolNumber } from "./filter.ts";
import { filterKinds } from "./registry.ts";
import { sendResolved, tcContext, writeTcRequest } from "./request.ts";

/** A chain to add or delete (`tc chain add dev D [parent P] chain N [KIND template…]`). */
export interface ChainOptions extends FilterPlace {
  /** The chain's index. */
  chain: number;
  /** A filter template: the kind and options every filter of the chain must fit. */
  template?: FilterKindOptions;
  /** The template's ethernet protocol (`protocol ip chain N flower …`; default: none, 0). */
  protocol?: string | number;
}

/** A chain, decoded from RTM_NEWCHAIN. */
export interface Chain extends TcObject {
  /** The chain's index. */
  chain: number;
}

/**
 * Decodes an RTM_NEWCHAIN / RTM_DELCHAIN message.
 *
 * @example
 * ```ts ignore
 * const c = decodeChain(msg); // { chain: 1, kind: "flower", options: {…}, … }
 * ```
 */
export function decodeChain(m: MessageView): Chain {
  const { object } = decodeTcObject(FILTER_MESSAGE, m);
  return { ...object, chain: object.chain ?? 0 };
}

function header(o: FilterPlace, index: number): { ifindex: number; handle: number; parent: number } {
  return { ...place(o, index), handle: 0 };
}

/**
 * Builds the RTM_NEWCHAIN / RTM_DELCHAIN request `tc chain add|del` sends.
 *
 * @example
 * ```ts
 * import { chainRequest } from "./chain.ts";
 * chainRequest("add", 3, { parent: "1:", chain: 3 }).length; // 44
 * ```
 */
export function chainRequest(op: "add" | "delete", index: number, o: ChainOptions): Uint8Array {
  const w = new MessageWriter(256);
  writeChain(w, op, index, o, tcContext(op));
  return w.bytes();
}

function writeChain(
  w: MessageWriter,
  op: "add" | "delete",
  index: number,
  o: ChainOptions,
  ctx = tcContext(op),
): void {
  const chain = intIn(o.chain, 0, 0xffffffff, "chain");
  if (chain === undefined) throw new ValidationError("chain", o.chain, "expected a chain index");
  const t = o.template as { kind: string } | undefined;
  const codec = t === undefined ? undefined : filterKinds()[t.kind];
  if (t !== undefined && codec === undefined) {
    throw new ValidationError("template.kind", t.kind, "not a filter kind nlink knows");
  }
  const protocol = o.protocol === undefined ? 0 : protocolNumber(o.protocol);
  writeTcRequest(w, {
    schema: FILTER_MESSAGE,
    type: op === "add" ? RTM.NEWCHAIN : RTM.DELCHAIN,
    op,
    header: { ...header(o, index), info: ((protocol & 0xff) << 8) | (protocol >> 8) },
    before: t === undefined ? { chain } : { chain, kind: t.kind },
    codec,
    // The template is encoded as a filter of the chain's protocol (none unless given, as tc(8) sends it).
    options: t === undefined ? undefined : { ...t, protocol },
  }, ctx);
}

/**
 * Adds a chain (`tc chain add`).
 *
 * @example
 * ```ts ignore
 * await addChain(conn, { dev: "p0", parent: "ingress", chain: 1 });
 * ```
 */
export async function addChain(conn: NetlinkConnection, o: ChainOptions): Promise<void> {
  const index = o.dev === undefined ? 0 : await resolveDev(conn, o.dev);
  await sendResolved(conn, "add", "addChain", (w, ctx) => writeChain(w, "add", index, o, ctx));
}

/**
 * Deletes a chain and its filters (`tc chain del`).
 *
 * @example
 * ```ts ignore
 * await deleteChain(conn, { dev: "p0", parent: "ingress", chain: 1 });
 * ```
 */
export async function deleteChain(conn: NetlinkConnection, o: ChainOptions): Promise<void> {
  chainRequest("delete", 1, o);
  const index = o.dev === undefined ? 0 : await resolveDev(conn, o.dev);
  await conn.ack(chainRequest("delete", index, o), "deleteChain");
}

/** Where chains are listed or looked up: a device or block, a parent, and (optionally) one chain. */
export interface ChainSelector extends FilterPlace {
  /** Only this chain (`tc chain show … chain N`, `tc chain get … chain N`): sent as TCA_CHAIN. */
  chain?: number;
}

function writeChainLookup(w: MessageWriter, type: number, flags: number, index: number, o: ChainSelector): void {
  const chain = o.chain === undefined ? undefined : intIn(o.chain, 0, 0xffffffff, "chain");
  encodeMessage(w, FILTER_MESSAGE, type, flags, header(o, index), chain === undefined ? {} : { chain });
}

/**
 * Builds the RTM_GETCHAIN dump request `tc chain show` sends (with
 * `chain`: `tc chain show … chain N`, which the kernel answers with that
 * chain alone).
 *
 * @example
 * ```ts
 * import { chainDumpRequest } from "./chain.ts";
 * chainDumpRequest(3, {}).length; // 36
 * chainDumpRequest(3, { parent: "ingress", chain: 2 }).length; // 44
 * ```
 */
export function chainDumpRequest(index: number, o: ChainSelector): Uint8Array {
  const w = new MessageWriter(64);
  writeChainLookup(w, RTM.GETCHAIN, REQUEST_FLAGS.dump, index, o);
  return w.bytes();
}

/**
 * Builds the RTM_GETCHAIN request `tc chain get dev D parent P chain N`
 * sends: a plain request with NLM_F_ECHO (as tc(8) sets it for old kernels),
 * answered with one RTM_NEWCHAIN.
 *
 * @example
 * ```ts
 * import { chainGetRequest } from "./chain.ts";
 * chainGetRequest(3, { parent: "ingress", chain: 1 }).length; // 44
 * ```
 */
export function chainGetRequest(index: number, o: ChainSelector & { chain: number }): Uint8Array {
  if (o.chain === undefined) throw new ValidationError("chain", o.chain, "tc chain get needs a chain index");
  const w = new MessageWriter(64);
  writeChainLookup(w, RTM.GETCHAIN, NLM_F.REQUEST | NLM_F.ECHO, index, o);
  return w.bytes();
}

/**
 * One chain (`tc chain get dev D parent P chain N`): its index and template.
 *
 * @example
 * ```ts ignore
 * const c = await getChain(conn, { dev: "p0", parent: "ingress", chain: 1 }); // { chain: 1, kind: undefined, … }
 * ```
 */
export async function getChain(conn: NetlinkConnection, o: ChainSelector & { chain: number }): Promise<Chain> {
  chainGetRequest(1, o);
  const index = o.dev === undefined ? 0 : await resolveDev(conn, o.dev);
  // The kernel answers a get with the request's own type (RTM_GETCHAIN); notifications are RTM_NEWCHAIN.
  const decode = (m: MessageView): Chain | undefined =>
    m.type === RTM.GETCHAIN || m.type === RTM.NEWCHAIN ? decodeChain(m) : undefined;
  return conn.get(chainGetRequest(index, o), decode, "getChain");
}

/**
 * A device's (or block's) chains (`tc chain show`).
 *
 * @example
 * ```ts ignore
 * const chains = await getChains(conn, { dev: "p0", parent: "ingress" }); // [{ chain: 0, … }, { chain: 1, … }]
 * ```
 */
export async function getChains(conn: NetlinkConnection, o: ChainSelector & DumpOptions): Promise<Chain[]> {
  const index = o.dev === undefined ? 0 : await resolveDev(conn, o.dev);
  const decode = (m: MessageView): Chain | undefined => (m.type === RTM.NEWCHAIN ? decodeChain(m) : undefined);
  return conn.dump(chainDumpRequest(index, o), decode, "getChains", o);
}
