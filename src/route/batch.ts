/**
 * {@linkcode Batch}: many rtnetlink changes pipelined — hundreds of requests
 * per system call — with every request's own result reported.
 *
 * @module
 */
import type { BatchOutcome, NetlinkConnection, SendBatchOptions } from "../core/connection.ts";
import { NetlinkError, ValidationError } from "../core/errors.ts";
import { MessageWriter } from "../core/writer.ts";
import type { AddressOptions } from "./addr.ts";
import { LazyModule } from "../core/lazy.ts";
import { type Dev, resolveDev } from "./link_lookup.ts";
import type { SetLinkOptions } from "./link.ts";
import type { NewLinkOptions } from "./link_types.ts";
import type { NetnsHandle } from "../netns/mod.ts";
import type { EncapOptions } from "./lwtunnel.ts";
import type { RouteOp, RouteOptions } from "./route.ts";
import type { RouteRepeater } from "./route_repeat.ts";

/**
 * The link module, loaded by the first batch that holds a link change (or
 * resolves many names with one dump): batches of routes and addresses never
 * load the link kinds' schemas.
 */
const LINK = new LazyModule(() => import("./link.ts"));
type LinkModule = typeof import("./link.ts");

/**
 * The route and address encoders, loaded by the first batch prepared: a
 * program that never sends a batch (`ip link show`) does not load them with
 * `conn.batch()`'s class.
 */
const ENCODERS = new LazyModule(async () => {
  const [route, addr, repeat] = await Promise.all([
    import("./route.ts"),
    import("./addr.ts"),
    import("./route_repeat.ts"),
  ]);
  return {
    writeRouteRequest: route.writeRouteRequest,
    writeAddressRequest: addr.writeAddressRequest,
    RouteRepeater: repeat.RouteRepeater,
  };
});
type Encoders = Awaited<ReturnType<typeof ENCODERS.get>>;

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

/**
 * A batch encoded and checked, not yet sent: see {@linkcode Batch.prepare}.
 *
 * @example
 * ```ts ignore
 * const prepared = await conn.batch().addRoute({ dst: "10.1.0.0/24", dev: "p0" }).prepare();
 * const result = await prepared.send();
 * ```
 */
export interface PreparedBatch {
  /** Operations it holds. */
  readonly size: number;
  /**
   * Sends the requests and reports each one's outcome, as
   * {@linkcode Batch.execute} does. With `overlap` the kernel applies large
   * chunks on a thread of Deno's blocking pool, so the caller can prepare the
   * next batch before awaiting this one (see `SendBatchOptions`). Once only.
   */
  send(options?: SendBatchOptions): Promise<BatchResult>;
  /** Drops it unsent, releasing what it holds (namespace handles). */
  discard(): void;
}

/** A batch's requests, back to back, and which operations they are. */
interface Encoded {
  bytes: Uint8Array;
  /** The operation each request is, in order (the others already have their result). */
  sent: number[];
  results: BatchItemResult[];
}

/** Builds a request that names several devices, given their indices (in `devs` order). */
type Build = (w: MessageWriter, indices: (number | undefined)[], handles: NetnsHandle[], enc: Encoders) => void;

/** What an operation is: its name in results, and how its simple form is built. */
type Verb =
  | `${RouteOp}Route`
  | "addAddress"
  | "replaceAddress"
  | "delAddress"
  | "setLinkUp"
  | "setLinkDown"
  | "delLink"
  | "setLink"
  | "addLink";

/**
 * A queued operation. The common ones name one device and are built by
 * {@linkcode buildSimple} from their verb: one small object each, since a
 * batch may hold 100,000s and every object it keeps costs the collector.
 * Those naming several devices carry their own builder.
 */
class Op {
  constructor(
    /** What it is, e.g. `"addRoute"`. */
    readonly verb: Verb,
    /** Its options (or, for link up/down/delete, the device). */
    readonly arg: unknown,
    /** The one device it names (a simple operation). */
    readonly dev: Dev | undefined,
    /** What it acts on, for its name in results: the route's dst, the address, the link. */
    readonly what: unknown,
    /** For the others: every device it names, and how to build it from their indices. */
    public devs?: (Dev | undefined)[],
    public build?: Build,
    /** For setLink and addLink: sets devs and build once the link module is loaded (see LINK). */
    readonly plan?: (link: LinkModule, op: Op) => void,
  ) {}

  /** Its name in results, e.g. `"addRoute 10.0.0.0/24"`. */
  get operation(): string {
    return `${this.verb} ${this.what}`;
  }
}

/** Route verbs by operation, and back (no string built per route). */
const ROUTE_VERB: Readonly<Record<RouteOp, Verb>> = {
  add: "addRoute",
  replace: "replaceRoute",
  append: "appendRoute",
  prepend: "prependRoute",
  change: "changeRoute",
  del: "delRoute",
};
const ROUTE_OP: Readonly<Record<string, RouteOp>> = Object.fromEntries(
  Object.entries(ROUTE_VERB).map(([op, verb]) => [verb, op as RouteOp]),
);

/** Builds a simple (one-device) operation given that device's index (routes through `routes`). */
function buildSimple(
  op: Op,
  w: MessageWriter,
  index: number | undefined,
  routes: RouteRepeater,
  link: LinkModule | undefined,
  enc: Encoders,
): void {
  const v = op.verb;
  switch (v) {
    case "addRoute":
    case "replaceRoute":
    case "appendRoute":
    case "prependRoute":
    case "changeRoute":
    case "delRoute":
      return routes.write(w, ROUTE_OP[v], op.arg as RouteOptions, index);
    case "addAddress":
      return enc.writeAddressRequest(w, "add", index!, op.arg as AddressOptions);
    case "replaceAddress":
      return enc.writeAddressRequest(w, "replace", index!, op.arg as AddressOptions);
    case "delAddress":
      return enc.writeAddressRequest(w, "del", index!, op.arg as AddressOptions);
    case "setLinkUp":
    case "setLinkDown":
      link!.linkSetRequest(index!, { up: v === "setLinkUp" }, undefined, w);
      return;
    case "delLink":
      link!.linkDelRequest(index!, w);
      return;
    default:
      throw new Error(`batch: ${v} needs its own builder`);
  }
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
  /** Whether #ops holds a link change (it needs the link module). */
  #needsLink = false;

  /** Use `conn.batch()`. */
  constructor(conn: NetlinkConnection) {
    this.#conn = conn;
  }

  /** Operations queued. */
  get size(): number {
    return this.#ops.length;
  }

  #simple(verb: Verb, arg: unknown, dev: Dev | undefined, what: unknown): this {
    this.#ops.push(new Op(verb, arg, dev, what));
    return this;
  }

  /** A link change: simple (up, down, delete) or planned once the link module is loaded. */
  #linkOp(
    verb: Verb,
    arg: unknown,
    dev: Dev | undefined,
    what: unknown,
    plan?: (link: LinkModule, op: Op) => void,
  ): this {
    this.#needsLink = true;
    this.#ops.push(plan ? new Op(verb, arg, dev, what, [], undefined, plan) : new Op(verb, arg, dev, what));
    return this;
  }

  #complex(verb: Verb, arg: unknown, what: unknown, devs: (Dev | undefined)[], build: Build, dev?: Dev): this {
    this.#ops.push(new Op(verb, arg, dev, what, devs, build));
    return this;
  }

  #route(op: RouteOp, o: RouteOptions): this {
    const verb = ROUTE_VERB[op];
    if (o?.multipath === undefined && o?.encap?.type !== "seg6local") return this.#simple(verb, o, o?.dev, o?.dst);
    // The route's dev and its encapsulation's devices, then each path's: three per path.
    const nhs = o.multipath ?? [];
    const devs = [o.dev, ...encapDevs(o.encap), ...nhs.flatMap((n) => [n?.dev, ...encapDevs(n?.encap)])];
    return this.#complex(verb, o, o.dst, devs, (w, [oif, iif, eoif, ...rest], _handles, enc) => {
      const paths = nhs.map((_, k) => rest[3 * k]);
      const pathEncaps = nhs.map((_, k) => ({ iif: rest[3 * k + 1], oif: rest[3 * k + 2] }));
      enc.writeRouteRequest(w, op, o, { oif, paths, encap: { iif, oif: eoif }, pathEncaps });
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
  /** Queues `ip route prepend`. */
  prependRoute(o: RouteOptions): this {
    return this.#route("prepend", o);
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
    return this.#simple("addAddress", o, o?.dev, o?.address);
  }
  /** Queues `ip address replace`. */
  replaceAddress(o: AddressOptions): this {
    return this.#simple("replaceAddress", o, o?.dev, o?.address);
  }
  /** Queues `ip address del`. */
  delAddress(o: AddressOptions): this {
    return this.#simple("delAddress", o, o?.dev, o?.address);
  }
  /** Queues `ip link set DEV up`. */
  setLinkUp(dev: Dev): this {
    return this.#linkOp("setLinkUp", dev, dev, dev);
  }
  /** Queues `ip link set DEV down`. */
  setLinkDown(dev: Dev): this {
    return this.#linkOp("setLinkDown", dev, dev, dev);
  }
  /** Queues `ip link set DEV …` (every option of `conn.setLink`, namespaces included). */
  setLink(dev: Dev, o: SetLinkOptions): this {
    return this.#linkOp("setLink", o, dev, dev, (link, op) => {
      const paths = link.linkDevs(o);
      op.devs = [dev, ...paths.map(([, d]) => d)];
      op.build = (w, [i, ...found], handles) => {
        if (link.changesOverCurrent(o)) {
          // Its current settings must be read first, when the change is sent, not when the batch is.
          throw new ValidationError("type.kind", o.type!.kind, "a tunnel's settings change goes through conn.setLink");
        }
        return link.linkSetRequest(i!, link.openLinkNetns(o, handles), undefined, w, indexesOf(paths, found));
      };
    });
  }
  /** Queues `ip link add` (every kind and option of `conn.addLink`). */
  addLink(o: NewLinkOptions): this {
    return this.#linkOp("addLink", o, undefined, o?.name, (link, op) => {
      const paths = link.linkDevs(o);
      op.devs = paths.map(([, d]) => d);
      op.build = (w, found, handles) =>
        link.linkAddRequest(link.openLinkNetns(o, handles), undefined, w, indexesOf(paths, found));
    });
  }
  /** Queues `ip link del`. */
  delLink(dev: Dev): this {
    return this.#linkOp("delLink", dev, dev, dev);
  }

  /**
   * Resolves device names, validates and encodes every request (throwing on
   * bad input before anything is sent), sends them pipelined, and reports each
   * one's outcome. The batch is emptied.
   */
  async execute(): Promise<BatchResult> {
    return await (await this.prepare()).send();
  }

  /**
   * The first half of {@linkcode Batch.execute}: resolves device names,
   * validates and encodes every request (throwing on bad input), and sends
   * nothing. The batch is emptied. `ip -batch` parses its next lines while the
   * kernel applies the batch it prepared before.
   *
   * @example
   * ```ts ignore
   * const prepared = await b.prepare(); // a ValidationError here: nothing was sent
   * const pending = prepared.send({ overlap: true });
   * const next = await nextBatch.prepare(); // while the kernel works
   * console.log((await pending).succeeded);
   * ```
   */
  async prepare(): Promise<PreparedBatch> {
    const ops = this.#ops;
    this.#ops = [];
    let link: LinkModule | undefined;
    if (this.#needsLink) {
      this.#needsLink = false;
      link = await LINK.get();
      for (const op of ops) op.plan?.(link, op);
    }
    const enc = await ENCODERS.get();
    const indices = await this.#resolve(ops);
    const handles: NetnsHandle[] = [];
    let encoded: Encoded;
    try {
      encoded = this.#encode(ops, indices, handles, link, enc);
    } catch (e) {
      for (const h of handles) h.close();
      throw e;
    }
    const conn = this.#conn;
    let used = false;
    const release = () => {
      used = true;
      for (const h of handles) h.close();
    };
    return {
      size: ops.length,
      async send(options?: SendBatchOptions): Promise<BatchResult> {
        if (used) throw new Error("batch: a prepared batch is sent once");
        used = true;
        try {
          return collect(ops, encoded, await conn.sendBatch(encoded.bytes, "batch", options));
        } finally {
          release();
        }
      },
      discard: () => {
        if (!used) release();
      },
    };
  }

  /** Builds every request (a ValidationError stops all before anything is sent). */
  #encode(
    ops: Op[],
    indices: Map<Dev, number | NetlinkError>,
    handles: NetnsHandle[],
    link: LinkModule | undefined,
    enc: Encoders,
  ): Encoded {
    const results: BatchItemResult[] = new Array(ops.length);
    const w = new MessageWriter(Math.max(256, ops.length * 64));
    const sent: number[] = [];
    const routes = new enc.RouteRepeater();
    // Reused for every operation (each build reads it at once); most name the
    // same device as the one before, so that look-up is remembered.
    const resolved: (number | undefined)[] = [];
    let lastDev: Dev | undefined, last: number | NetlinkError | undefined;
    const lookUp = (d: Dev | undefined) => {
      if (d !== lastDev) {
        lastDev = d;
        last = d === undefined ? undefined : indices.get(d);
      }
      return last;
    };
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      let missing: NetlinkError | undefined;
      if (op.build === undefined) {
        const r = lookUp(op.dev);
        if (r instanceof NetlinkError) missing = r;
        else buildSimple(op, w, r, routes, link, enc); // throws ValidationError before anything was sent
      } else {
        resolved.length = 0;
        for (const d of op.devs!) {
          const r = lookUp(d);
          if (r instanceof NetlinkError) missing ??= r;
          resolved.push(typeof r === "number" ? r : undefined);
        }
        if (!missing) op.build(w, resolved, handles, enc);
      }
      if (missing) results[i] = { index: i, operation: op.operation, ok: false, error: missing };
      else sent.push(i);
    }
    return { bytes: w.bytes(), sent, results };
  }

  /** Dev → index, or the error that resolving it gave. */
  async #resolve(ops: Op[]): Promise<Map<Dev, number | NetlinkError>> {
    const out = new Map<Dev, number | NetlinkError>();
    const names = new Set<string>();
    const indexes = new Set<number>();
    const note = (d: Dev | undefined) => {
      if (typeof d === "string") names.add(d);
      else if (d !== undefined) indexes.add(d);
    };
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      if (op.devs === undefined) note(op.dev);
      else for (const d of op.devs) note(d);
    }
    for (const d of indexes) out.set(d, await resolveDev(this.#conn, d)); // a range check only
    if (names.size > DUMP_THRESHOLD) {
      const byName = new Map<string, number>();
      for (
        const l of await (await LINK.get()).getLinks(this.#conn, { extMask: 1 << 3 /* RTEXT_FILTER_SKIP_STATS */ })
      ) {
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

/** Every operation's result, from the kernel's outcome of each request sent. */
function collect(ops: Op[], encoded: Encoded, outcomes: BatchOutcome[]): BatchResult {
  const { sent, results } = encoded;
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
