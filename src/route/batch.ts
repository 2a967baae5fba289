/**
 * {@linkcode Batch}: many rtnetlink changes pipelined — hundreds of requests
 * per system call — with every request's own result reported.
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { NetlinkError } from "../core/errors.ts";
import { MessageWriter } from "../core/writer.ts";
import { type AddressOptions, writeAddressRequest } from "./addr.ts";
import {
  type AddLinkOptions,
  type Dev,
  getLinks,
  linkAddRequest,
  linkDelRequest,
  linkDevs,
  linkSetRequest,
  openLinkNetns,
  resolveDev,
  type SetLinkOptions,
} from "./link.ts";
import type { NetnsHandle } from "../netns/mod.ts";
import type { EncapOptions } from "./lwtunnel.ts";
import { type RouteOp, type RouteOptions, writeRouteRequest } from "./route.ts";

/** The result of one queued operation. */
export interface BatchItemResult {
  /** Position in the batch (0-based). */
  index: number;
  /** What it was, e.g. `"addRoute 10.0.0.0/24"`. */
  operation: string;
  /** Whether the kernel accepted it. */
  ok: boolean;
  /** Why not. */
  error?: NetlinkError;
}

/** The result of {@linkcode Batch.execute}. */
export interface BatchResult {
  /** One entry per queued operation, in order. */
  results: BatchItemResult[];
  /** Whether every operation succeeded. */
  ok: boolean;
  /** How many succeeded. */
  succeeded: number;
  /** The failures. */
  failures: BatchItemResult[];
}

interface Op {
  operation: string;
  /** Devices (names or indices) the request needs, in order. */
  devs: (Dev | undefined)[];
  /**
   * Appends the request to `w`, given the resolved indices (same order as
   * `devs`); namespaces it opens go in `handles`, closed once all is sent.
   */
  build(w: MessageWriter, indices: (number | undefined)[], handles: NetnsHandle[]): void;
}

/** The devices a seg6local encapsulation names (iif, oif); none for other kinds. */
function encapDevs(e: EncapOptions | undefined): [Dev | undefined, Dev | undefined] {
  return e?.type === "seg6local" ? [e.iif, e.oif] : [undefined, undefined];
}

/** The device paths of a link request with their resolved indices, as `linkAddRequest` takes them. */
function indexesOf(paths: [string, Dev][], found: (number | undefined)[]): Record<string, number> {
  const out: Record<string, number> = {};
  paths.forEach(([path], k) => {
    if (found[k] !== undefined) out[path] = found[k];
  });
  return out;
}

/** Above this many distinct names, one link dump resolves them all. */
const DUMP_THRESHOLD = 8;

/**
 * Queues rtnetlink changes and sends them pipelined. Input is validated before
 * anything is sent: a bad option throws and the kernel sees nothing. A request
 * the kernel refuses (or that names a missing device) fails alone; the others
 * still apply.
 *
 * @example
 * ```ts ignore
 * const b = conn.batch();
 * for (let i = 0; i < 1000; i++) b.addRoute({ dst: `10.1.${i >> 8}.${i & 255}/32`, dev: "p0" });
 * const result = await b.execute();
 * console.log(result.succeeded, result.failures.map((f) => f.error?.message));
 * ```
 */
export class Batch {
  readonly #conn: NetlinkConnection;
  #ops: Op[] = [];

  /** Use `conn.batch()`. */
  constructor(conn: NetlinkConnection) {
    this.#conn = conn;
  }

  /** Operations queued. */
  get size(): number {
    return this.#ops.length;
  }

  #push(operation: string, devs: (Dev | undefined)[], build: Op["build"]): this {
    this.#ops.push({ operation, devs, build });
    return this;
  }

  #route(op: RouteOp, o: RouteOptions): this {
    // The route's dev and its encapsulation's devices, then each path's: three per path.
    const nhs = o?.multipath ?? [];
    const devs = [o?.dev, ...encapDevs(o?.encap), ...nhs.flatMap((n) => [n?.dev, ...encapDevs(n?.encap)])];
    return this.#push(`${op}Route ${o?.dst}`, devs, (w, [oif, iif, eoif, ...rest]) => {
      const paths = nhs.map((_, k) => rest[3 * k]);
      const pathEncaps = nhs.map((_, k) => ({ iif: rest[3 * k + 1], oif: rest[3 * k + 2] }));
      writeRouteRequest(w, op, o, { oif, paths, encap: { iif, oif: eoif }, pathEncaps });
    });
  }

  /** Queues `ip route add`. */
  addRoute(o: RouteOptions): this {
    return this.#route("add", o);
  }
  /** Queues `ip route replace`. */
  replaceRoute(o: RouteOptions): this {
    return this.#route("replace", o);
  }
  /** Queues `ip route append`. */
  appendRoute(o: RouteOptions): this {
    return this.#route("append", o);
  }
  /** Queues `ip route change`. */
  changeRoute(o: RouteOptions): this {
    return this.#route("change", o);
  }
  /** Queues `ip route del`. */
  delRoute(o: RouteOptions): this {
    return this.#route("del", o);
  }
  /** Queues `ip address add`. */
  addAddress(o: AddressOptions): this {
    return this.#push(`addAddress ${o?.address}`, [o?.dev], (w, [i]) => writeAddressRequest(w, "add", i!, o));
  }
  /** Queues `ip address replace`. */
  replaceAddress(o: AddressOptions): this {
    return this.#push(`replaceAddress ${o?.address}`, [o?.dev], (w, [i]) => writeAddressRequest(w, "replace", i!, o));
  }
  /** Queues `ip address del`. */
  delAddress(o: AddressOptions): this {
    return this.#push(`delAddress ${o?.address}`, [o?.dev], (w, [i]) => writeAddressRequest(w, "del", i!, o));
  }
  /** Queues `ip link set DEV up`. */
  setLinkUp(dev: Dev): this {
    return this.#push(`setLinkUp ${dev}`, [dev], (w, [i]) => linkSetRequest(i!, { up: true }, undefined, w));
  }
  /** Queues `ip link set DEV down`. */
  setLinkDown(dev: Dev): this {
    return this.#push(`setLinkDown ${dev}`, [dev], (w, [i]) => linkSetRequest(i!, { up: false }, undefined, w));
  }
  /** Queues `ip link set DEV …` (every option of `conn.setLink`, namespaces included). */
  setLink(dev: Dev, o: SetLinkOptions): this {
    const paths = linkDevs(o);
    return this.#push(
      `setLink ${dev}`,
      [dev, ...paths.map(([, d]) => d)],
      (w, [i, ...found], handles) =>
        linkSetRequest(i!, openLinkNetns(o, handles), undefined, w, indexesOf(paths, found)),
    );
  }
  /** Queues `ip link add` (every kind and option of `conn.addLink`). */
  addLink(o: AddLinkOptions): this {
    const paths = linkDevs(o);
    return this.#push(
      `addLink ${o?.name}`,
      paths.map(([, d]) => d),
      (w, found, handles) => linkAddRequest(openLinkNetns(o, handles), undefined, w, indexesOf(paths, found)),
    );
  }
  /** Queues `ip link del`. */
  delLink(dev: Dev): this {
    return this.#push(`delLink ${dev}`, [dev], (w, [i]) => linkDelRequest(i!, w));
  }

  /**
   * Resolves device names, validates and encodes every request (throwing on
   * bad input before anything is sent), sends them pipelined, and reports each
   * one's outcome. The batch is emptied.
   */
  async execute(): Promise<BatchResult> {
    const ops = this.#ops;
    this.#ops = [];
    const indices = await this.#resolve(ops);
    const handles: NetnsHandle[] = [];
    try {
      return await this.#send(ops, indices, handles);
    } finally {
      for (const h of handles) h.close();
    }
  }

  /** Builds every request (a ValidationError stops all before anything is sent), sends, collects. */
  async #send(ops: Op[], indices: Map<Dev, number | NetlinkError>, handles: NetnsHandle[]): Promise<BatchResult> {
    const results: BatchItemResult[] = new Array(ops.length);
    const w = new MessageWriter(Math.max(256, ops.length * 64));
    const sent: number[] = [];
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      const resolved: (number | undefined)[] = [];
      let missing: NetlinkError | undefined;
      for (const d of op.devs) {
        const r = d === undefined ? undefined : indices.get(d);
        if (r instanceof NetlinkError) missing ??= r;
        resolved.push(typeof r === "number" ? r : undefined);
      }
      if (missing) {
        results[i] = { index: i, operation: op.operation, ok: false, error: missing };
        continue;
      }
      op.build(w, resolved, handles); // throws ValidationError before anything was sent
      sent.push(i);
    }
    const outcomes = await this.#conn.sendBatch(w.bytes(), "batch");
    for (let k = 0; k < sent.length; k++) {
      const i = sent[k];
      const o = outcomes[k];
      const operation = ops[i].operation;
      results[i] = o.ok ? { index: i, operation, ok: true } : {
        index: i,
        operation,
        ok: false,
        error: o.error.errno === 0
          ? o.error
          : NetlinkError.fromErrno(o.error.errno, { operation, extAck: o.error.extAck }),
      };
    }
    const failures = results.filter((r) => !r.ok);
    return { results, ok: failures.length === 0, succeeded: results.length - failures.length, failures };
  }

  /** Dev → index, or the error that resolving it gave. */
  async #resolve(ops: Op[]): Promise<Map<Dev, number | NetlinkError>> {
    const out = new Map<Dev, number | NetlinkError>();
    const names = new Set<string>();
    for (const op of ops) {
      for (const d of op.devs) {
        if (typeof d === "string") names.add(d);
        else if (d !== undefined) out.set(d, await resolveDev(this.#conn, d)); // range check only
      }
    }
    if (names.size > DUMP_THRESHOLD) {
      const byName = new Map<string, number>();
      for (const l of await getLinks(this.#conn, { extMask: 1 << 3 /* RTEXT_FILTER_SKIP_STATS */ })) {
        if (l.name) byName.set(l.name, l.index);
        for (const alt of l.propList?.altIfname ?? []) byName.set(alt, l.index);
      }
      for (const n of names) {
        const i = byName.get(n);
        out.set(n, i ?? new NetlinkError(19, `Device "${n}" does not exist (ENODEV)`, { operation: "batch" }));
      }
    } else {
      for (const n of names) {
        try {
          out.set(n, await resolveDev(this.#conn, n));
        } catch (e) {
          if (e instanceof NetlinkError && e.isNotFound()) out.set(n, e);
          else throw e;
        }
      }
    }
    return out;
  }
}
