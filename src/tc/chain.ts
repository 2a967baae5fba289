/**
 * Filter chains: add, delete, list — `tc chain`. A chain may carry a filter
 * template (a kind and options every filter of the chain must fit).
 *
 * @module
 */
import type { DumpOptions, NetlinkConnection } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import type { MessageView } from "../core/message.ts";
import { MessageWriter } from "../core/writer.ts";
import { RTM } from "../route/constants.ts";
import { resolveDev } from "../route/link.ts";
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

/**
 * Builds the RTM_GETCHAIN dump request `tc chain show` sends.
 *
 * @example
 * ```ts
 * import { chainDumpRequest } from "./chain.ts";
 * chainDumpRequest(3, {}).length; // 36
 * ```
 */
export function chainDumpRequest(index: number, o: FilterPlace): Uint8Array {
  const w = new MessageWriter(64);
  const start = w.beginMessage(RTM.GETCHAIN, REQUEST_FLAGS.dump);
  FILTER_MESSAGE.header.encode(w, header(o, index), "chain");
  w.endMessage(start);
  return w.bytes();
}

/**
 * A device's (or block's) chains (`tc chain show`).
 *
 * @example
 * ```ts ignore
 * const chains = await getChains(conn, { dev: "p0", parent: "ingress" }); // [{ chain: 0, … }, { chain: 1, … }]
 * ```
 */
export async function getChains(conn: NetlinkConnection, o: FilterPlace & DumpOptions): Promise<Chain[]> {
  const index = o.dev === undefined ? 0 : await resolveDev(conn, o.dev);
  const decode = (m: MessageView): Chain | undefined => (m.type === RTM.NEWCHAIN ? decodeChain(m) : undefined);
  return conn.dump(chainDumpRequest(index, o), decode, "getChains", o);
}
