/**
 * `ip [-force] -batch FILE | -`: iproute2's batch mode (ip/ip.c batch(),
 * lib/utils.c do_batch), pipelined.
 *
 * Route, address and link changes the library's {@linkcode Batch} can express
 * are parsed with the same parsers as single commands and queued; the queue
 * goes to the kernel many requests per system call, in line order, so the
 * kernel applies them in the order iproute2 would. Any other line (a show, a
 * line that fails to parse, a command the batch cannot express) first sends
 * what is queued and reports its outcome, then runs as a single command. Each
 * failing line gets iproute2's own message, then `Command failed FILE:LINE`,
 * in line order; the exit code is 1 after any failure, and a failure that
 * iproute2 meets with exit() (usage errors: 255; an unreadable address or
 * prefix, a bad quote: 1) ends the batch at once with that code.
 *
 * Without `-force` iproute2 stops at the first failing line, so nothing after
 * it takes effect. We keep that outcome:
 * - only `route add` and `address add` lines are pipelined, at most
 *   {@linkcode WINDOW_SAFE} at a time. Both create something new (the kernel
 *   refuses them with "File exists" otherwise), so each has an exact undo: when
 *   one line of a window fails, the lines after it in that window that the kernel
 *   had already applied are deleted again, newest first, before the error is
 *   reported. They were visible for that moment (a monitor sees them come and
 *   go); their effects are gone.
 * - every other change is sent alone, after everything before it succeeded.
 *
 * With `-force` every line is attempted anyway, so every change the batch can
 * express is pipelined ({@linkcode WINDOW_FORCE} at a time).
 *
 * A full window is sent without waiting for its outcome (#send), and the
 * next window is parsed and encoded before that outcome is awaited and its
 * failures reported (#settle). So one window is in flight at a time, reports
 * come in line order, and without `-force` nothing is sent after a failing
 * window (the lines parsed meanwhile are dropped unsent). Whether the kernel
 * applies a window on Deno's blocking pool meanwhile, overlapping the next
 * window's JS, is {@linkcode OVERLAP_SENDS}.
 *
 * A file is read in pieces of whole commands (BatchFileText in
 * batch_input.ts: a small first read, then larger ones, each while the piece
 * before is parsed), so the first window does not wait for the whole file; a
 * read that fails ends the input, as in iproute2 (a directory is an empty
 * batch). Its common route lines (`route add PREFIX via ADDR
 * dev DEV` and the like, see batch_fast.ts) skip the word splitting and the
 * general parsers and go straight to the library's options, which give the
 * same requests (tests/unit/ip_batch_fastpath_test.ts). Input from stdin goes
 * through the general path only.
 *
 * The general path resolves device names from one link dump; the fast path
 * asks the kernel for each name the first time it sees it, as iproute2's
 * ll_name_to_index does. Both forget every name after anything that may add,
 * delete or rename a link; a window ends after a link is added, deleted or
 * renamed, so later lines see the new names. The general path's parsers and
 * link table load with the first line that needs them: a file of common
 * route lines never loads them. The first window is small
 * ({@linkcode FIRST_WINDOW}) so that the kernel starts early, and the file is
 * opened while the connection opens.
 *
 * @module
 */
import type {
  AddressOptions,
  Batch,
  BatchResult,
  Connection,
  NewLinkOptions,
  PreparedBatch,
  RouteOptions,
  SetLinkOptions,
} from "@nlink/nlink";
import { ValidationError } from "@nlink/nlink/core";
import { matches, UsageError } from "../common/args.ts";
import { report } from "../common/errors.ts";
import {
  batchCommands,
  BatchFileText,
  type BatchInputError,
  commandAt,
  fileReader,
  INPUT_PAUSE,
  splitWords,
} from "./batch_input.ts";
import { DeviceNames, type FastRoute, RouteLineParser } from "./batch_fast.ts";
import { connect, ctxFamilyNumber, type IpContext } from "./context.ts";
import type { LinkCache } from "./links.ts";

/** Lines pipelined at a time without `-force` (one send of the library's batch). */
export const WINDOW_SAFE = 1024;
/** Lines pipelined at a time with `-force`. */
export const WINDOW_FORCE = 8192;
/**
 * The first window's size: it goes to the kernel as soon as it is parsed,
 * and each window after it is twice the one before, up to the full window
 * (the kernel starts while the JS is still cold and the first lines slow).
 */
export const FIRST_WINDOW = 64;
/**
 * Whether a window goes to the kernel on Deno's blocking pool
 * (`SendBatchOptions.overlap`), so that the kernel inserts it while the next
 * window is parsed. On: measured on 2 vCPUs (100,000 route adds, quiet
 * machine, 6 alternating runs of the whole process under SCHED_FIFO) it took
 * 340 ms against 378 ms (medians; iproute2: ~600 ms). The gain is smaller than
 * the JS it hides (~1.2 ms a window against ~2 ms of kernel work) because each
 * window pays a thread hand-over both ways, and the kernel's inserts run a
 * little slower on the pool's thread than on the JS thread.
 */
export const OVERLAP_SENDS = true;

/** How the batch runs a line it does not pipeline, and finds objects by prefix. */
export interface BatchHooks {
  /** The object a word names (`r` → `route`), as `ip` dispatches it. */
  objectOf(word: string): string | undefined;
  /**
   * Runs one command as `ip` would and returns its exit code (errors already
   * printed); sets `fatal.exits` when iproute2 would have exit()ed there.
   */
  runObject(ctx: IpContext, words: string[], fatal?: { exits: boolean }): Promise<number>;
}

/** A change the batch carries: a library call and its argument. */
type Change =
  | { call: "addRoute" | "changeRoute" | "replaceRoute" | "prependRoute" | "appendRoute" | "delRoute"; o: RouteOptions }
  | { call: "addAddress" | "replaceAddress" | "delAddress"; o: AddressOptions }
  | { call: "addLink"; o: NewLinkOptions }
  | { call: "setLink"; index: number; o: SetLinkOptions }
  | { call: "delLink"; index: number };

/** A line queued on the batch. */
interface Queued {
  line: number;
  /** Its words; undefined for a line the fast path read (they are then those of `text[from, to)`). */
  words: string[] | undefined;
  change: Change;
  /** The piece of the file the fast path read the line from. */
  text: string;
  from: number;
  to: number;
}

/** Queues a change on a batch. */
function enqueue(b: Batch, c: Change): void {
  switch (c.call) {
    case "setLink":
      b.setLink(c.index, c.o);
      break;
    case "delLink":
      b.delLink(c.index);
      break;
    case "addLink":
      b.addLink(c.o);
      break;
    case "addAddress":
    case "replaceAddress":
    case "delAddress":
      b[c.call](c.o);
      break;
    default: // the route calls
      b[c.call](c.o);
  }
}

/** The exact undo of a change that only creates (`route add`, `address add`), else undefined. */
function undoOf(c: Change): Change | undefined {
  if (c.call === "addRoute") return { call: "delRoute", o: c.o };
  if (c.call === "addAddress") return { call: "delAddress", o: c.o };
  return undefined;
}

/** Whether a change may add, delete or rename a link (names resolved before it are stale after it). */
function changesLinks(c: Change): boolean {
  return c.call === "addLink" || c.call === "delLink" || (c.call === "setLink" && c.o.name !== undefined);
}

/** Thrown instead of printing a usage text: the line then runs as a single command, which prints it. */
class NotPipelined extends Error {}
const notPipelined = (): never => {
  throw new NotPipelined();
};

/**
 * Runs a batch file (`-` for stdin) and returns the exit code. `opening` is
 * the file's open, started by the caller before this module loaded (see
 * `openBatchFile` in main.ts); it is awaited only once the connection is
 * open, so that a namespace error is reported before a file error, as
 * iproute2 enters `-n NETNS` while reading its options, before the file.
 *
 * @example
 * ```ts ignore
 * const code = await runBatch(ctx, "routes.txt", { objectOf, runObject }, openBatchFile("routes.txt"));
 * ```
 */
export async function runBatch(
  ctx: IpContext,
  name: string,
  hooks: BatchHooks,
  opening: Promise<Deno.FsFile> | undefined,
): Promise<number> {
  let conn: Connection;
  try {
    conn = await connect(ctx);
  } catch (e) {
    opening?.then((file) => file.close(), () => {});
    return report(e);
  }
  let input: ReadableStream<Uint8Array> | Deno.FsFile;
  if (opening === undefined) input = Deno.stdin.readable;
  else {
    try {
      input = await opening;
    } catch (e) {
      conn.close();
      console.error(`Cannot open file "${name}" for reading: ${openError(e)}`);
      return 1;
    }
  }
  try {
    return await new BatchRun(ctx, name, hooks, conn).run(input);
  } finally {
    conn.close();
    if (input instanceof Deno.FsFile) input.close();
  }
}

/** strerror for a file that cannot be opened. */
function openError(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "No such file or directory";
  if (e instanceof Deno.errors.PermissionDenied) return "Permission denied";
  if (e instanceof Deno.errors.IsADirectory) return "Is a directory";
  return e instanceof Error ? e.message : String(e);
}

/** One batch run: the queue, the name cache, the outcome so far. */
class BatchRun {
  #queue: Queued[] = [];
  #batch: Batch;
  readonly #fast: RouteLineParser;
  /** The fast path's device names (see batch_fast.ts). */
  readonly #names: DeviceNames;
  /** The general path's link table, read when a line first needs it. */
  #links: LinkCache | undefined;
  #failed = false;
  /** The size of the next window: FIRST_WINDOW, doubling after each send up to the full window. */
  #limit = FIRST_WINDOW;
  /** The full window (WINDOW_SAFE, or WINDOW_FORCE with -force). */
  readonly #window: number;
  /** The window sent last, its outcome not yet reported (see #send). */
  #inFlight: { queued: Queued[]; result: Promise<BatchResult> } | undefined;
  /** Set when the run must end now with this code. */
  #exit: number | undefined;

  constructor(
    readonly ctx: IpContext,
    readonly name: string,
    readonly hooks: BatchHooks,
    readonly conn: Connection,
  ) {
    this.#batch = conn.batch();
    this.#window = ctx.force ? WINDOW_FORCE : WINDOW_SAFE;
    this.#fast = new RouteLineParser(ctxFamilyNumber(ctx));
    this.#names = new DeviceNames((name) => conn.resolveDev(name));
  }

  /** After a line that may have added, deleted or renamed links: names are looked up again. */
  #forgetLinks(): void {
    this.#links = undefined;
    this.#names.clear();
  }

  /** Whether no more lines may run. */
  get #stopped(): boolean {
    return this.#exit !== undefined || (this.#failed && !this.ctx.force);
  }

  async run(input: ReadableStream<Uint8Array> | Deno.FsFile): Promise<number> {
    if (input instanceof Deno.FsFile) {
      try {
        await this.#readFile(new BatchFileText(fileReader(input)));
      } catch (e) {
        return report(e);
      }
      return this.#exit ?? (this.#failed ? 1 : 0);
    }
    const commands = batchCommands(input);
    try {
      await this.#read(commands);
    } catch (e) {
      // Anything unexpected (the netlink socket failing, say) ends the batch like an exit().
      return report(e);
    } finally {
      await commands.return(undefined);
    }
    return this.#exit ?? (this.#failed ? 1 : 0);
  }

  async #read(commands: ReturnType<typeof batchCommands>): Promise<void> {
    for await (const c of commands) {
      if (c === INPUT_PAUSE) {
        // Lines typed at a pipe should not wait for more input to run.
        if (this.name === "-") await this.#flush();
      } else if ("args" in c) await this.#line(c.args, c.line);
      else await this.#inputError(c);
      if (this.#stopped) return;
    }
    await this.#flush();
  }

  /** A file's lines, piece by piece, as {@linkcode BatchRun.#readText} reads them. */
  async #readFile(pieces: BatchFileText): Promise<void> {
    let lineNo = 0;
    for (let text = await pieces.next(); text !== undefined; text = await pieces.next()) {
      lineNo = await this.#readText(text, lineNo);
      if (this.#stopped) return;
    }
    await this.#flush();
  }

  /**
   * A piece of a file's lines (whole commands), after line `lineNo`: the
   * common route lines through the fast path (batch_fast.ts), every other
   * command as batchCommands() would yield it. Returns the last line's number.
   */
  async #readText(text: string, lineNo: number): Promise<number> {
    const fast = this.#fast;
    const force = this.ctx.force;
    let pos = 0;
    while (pos < text.length) {
      let end = text.indexOf("\n", pos);
      if (end < 0) end = text.length;
      let r = fast.parse(text, pos, end, this.#names);
      if (typeof r === "string") {
        await this.#names.learn(r);
        r = fast.parse(text, pos, end, this.#names) as FastRoute | undefined;
      }
      if (r !== undefined) {
        lineNo++;
        // As #line() does for a route change (never one that changes links).
        const alone = !force && r.call !== "addRoute";
        if (alone && this.#queue.length > 0) {
          await this.#flush();
          if (this.#stopped) return lineNo;
        }
        enqueue(this.#batch, r);
        this.#queue.push({ line: lineNo, words: undefined, change: r, text, from: pos, to: end });
        if (alone || this.#queue.length >= this.#limit) {
          await (alone ? this.#flush() : this.#send());
          if (this.#stopped) return lineNo;
        }
        pos = end + 1;
        continue;
      }
      const c = commandAt(text, pos, lineNo);
      pos = c.next;
      lineNo = c.line;
      if (Array.isArray(c.result)) {
        if (c.result.length) await this.#line(c.result, lineNo);
      } else await this.#inputError(c.result);
      if (this.#stopped) return lineNo;
    }
    return lineNo;
  }

  async #inputError(e: BatchInputError): Promise<void> {
    await this.#flush();
    if (this.#stopped) return;
    console.error(e.message);
    if (e.exit !== undefined) this.#exit = e.exit;
    else this.#exit = this.#failed ? 1 : 0;
  }

  /** One command: queued when the batch can carry it, else run alone after the queue. */
  async #line(words: string[], line: number): Promise<void> {
    const change = await this.#prepare(words);
    if (change && !this.ctx.force && undoOf(change) === undefined) {
      // A change without an exact undo, without -force: alone, so that nothing follows it if it fails.
      await this.#flush();
      if (this.#stopped) return;
    }
    if (change) {
      enqueue(this.#batch, change);
      this.#queue.push({ line, words, change, text: "", from: 0, to: 0 });
      const links = changesLinks(change);
      if (links || (!this.ctx.force && undoOf(change) === undefined)) {
        await this.#flush();
        if (links) this.#forgetLinks();
      } else if (this.#queue.length >= this.#limit) await this.#send();
      return;
    }
    await this.#flush();
    if (this.#stopped) return;
    await this.#alone(words, line);
    this.#forgetLinks(); // it may have changed links
  }

  /** Runs a line as a single command and records its outcome. */
  async #alone(words: string[], line: number): Promise<void> {
    const fatal = { exits: false };
    const code = await this.hooks.runObject(this.ctx, words, fatal);
    // Where iproute2 exit()s (usage errors, unreadable addresses) the batch ends there, without "Command failed".
    if (code !== 0 && fatal.exits) this.#exit = code;
    else this.#outcome(code, line);
  }

  /** Records a line's exit code as iproute2's batch loop does. */
  #outcome(code: number, line: number): void {
    if (code === 0) return;
    console.error(`Command failed ${this.name}:${line}`);
    this.#failed = true;
  }

  /**
   * Parses a line into a batch operation when it is a route, address or link
   * change that parses cleanly and names existing devices; undefined otherwise
   * (the line then runs alone, which reports any problem exactly as usual).
   */
  async #prepare(words: string[]): Promise<Change | undefined> {
    if (words.length < 2) return undefined;
    const object = this.hooks.objectOf(words[0]);
    const [cmd, ...args] = words.slice(1);
    try {
      if (object === "route") return await this.#route(cmd, args);
      if (object === "address") return await this.#address(cmd, args);
      if (object === "link") return await this.#link(cmd, args);
    } catch (e) {
      if (e instanceof NotPipelined || e instanceof UsageError) return undefined;
      throw e;
    }
    return undefined;
  }

  async #cache(): Promise<LinkCache> {
    return this.#links ??= await (await import("./links.ts")).LinkCache.load(this.conn);
  }

  /** `route OP …`, in route.ts's order of matching. */
  async #route(cmd: string, args: string[]): Promise<Change | undefined> {
    let call: "addRoute" | "changeRoute" | "replaceRoute" | "prependRoute" | "appendRoute" | "delRoute";
    if (matches(cmd, "add")) call = "addRoute";
    else if (matches(cmd, "change") || cmd === "chg") call = "changeRoute";
    else if (matches(cmd, "replace")) call = "replaceRoute";
    else if (matches(cmd, "prepend")) call = "prependRoute";
    else if (matches(cmd, "append")) call = "appendRoute";
    else if (matches(cmd, "test")) return undefined;
    else if (matches(cmd, "delete")) call = "delRoute";
    else return undefined;
    const { parseRoute, routeOptions } = await import("./route_modify.ts");
    const parsed = parseRoute(this.ctx, args, notPipelined);
    const table = parsed.vrf === undefined
      ? undefined
      : await (await import("./vrf_table.ts")).vrfTable(this.conn, parsed.vrf, ctxFamilyNumber(this.ctx));
    return { call, o: routeOptions(parsed, await this.#cache(), table) };
  }

  /** `address OP …`, in address.ts's order of matching. */
  async #address(cmd: string, args: string[]): Promise<Change | undefined> {
    let op: "add" | "replace" | "delete";
    if (matches(cmd, "add")) op = "add";
    else if (matches(cmd, "change") || cmd === "chg") return undefined;
    else if (matches(cmd, "replace")) op = "replace";
    else if (matches(cmd, "delete")) op = "delete";
    else return undefined;
    let warned = false;
    const { addressOptions, parseAddress } = await import("./address_modify.ts");
    const parsed = parseAddress(this.ctx, op, args, notPipelined, () => (warned = true));
    if (warned) return undefined; // its warnings print in line order when it runs alone
    const o = addressOptions(parsed, await this.#cache());
    return { call: op === "add" ? "addAddress" : op === "replace" ? "replaceAddress" : "delAddress", o };
  }

  /** `link add|set|delete …`, in link.ts's order of matching. */
  async #link(cmd: string, args: string[]): Promise<Change | undefined> {
    let op: "add" | "set" | "delete";
    if (matches(cmd, "add")) op = "add";
    else if (matches(cmd, "set") || matches(cmd, "change")) op = "set";
    else if (matches(cmd, "replace")) return undefined;
    else if (matches(cmd, "delete")) op = "delete";
    else return undefined;
    const { parseLink, planLink } = await import("./link_modify.ts");
    const plan = planLink(op, parseLink(op, args, notPipelined), notPipelined, await this.#cache());
    switch (plan.op) {
      case "usage":
        return undefined;
      case "delete":
        return { call: "delLink", index: plan.index };
      case "add":
        return { call: "addLink", o: plan.options };
      case "set":
        return { call: "setLink", index: plan.index, o: plan.options };
    }
  }

  /** Sends what is queued and reports, in line order, the outcome of every line sent so far. */
  async #flush(): Promise<void> {
    await this.#send();
    await this.#settle();
  }

  /**
   * Sends what is queued without waiting for its outcome (see the module
   * notes): it is encoded while the window before is still in the kernel, then
   * that window is settled, then this one goes out, unless that one stopped the
   * run.
   */
  async #send(): Promise<void> {
    const queued = this.#queue;
    if (queued.length === 0) return;
    this.#queue = [];
    const batch = this.#batch;
    this.#batch = this.conn.batch();
    let prepared: PreparedBatch;
    try {
      prepared = await batch.prepare();
    } catch (e) {
      // The library refused to encode something (nothing was sent): run the lines one by one instead.
      if (!(e instanceof ValidationError)) throw e;
      await this.#settle();
      for (const q of queued) {
        if (this.#stopped) return;
        await this.#alone(q.words ?? (splitWords(q.text.slice(q.from, q.to)) as string[]), q.line);
      }
      return;
    }
    await this.#settle();
    if (this.#stopped) {
      prepared.discard();
      return;
    }
    const result = prepared.send({ overlap: OVERLAP_SENDS });
    result.catch(() => {}); // #settle awaits it; until then a failure is not an unhandled rejection
    this.#inFlight = { queued, result };
    this.#limit = Math.min(this.#limit * 2, this.#window);
  }

  /** Awaits the window in flight and reports each of its lines' outcome in order. */
  async #settle(): Promise<void> {
    const sent = this.#inFlight;
    if (sent === undefined) return;
    this.#inFlight = undefined;
    const queued = sent.queued;
    const { results } = await sent.result;
    for (let i = 0; i < queued.length; i++) {
      const r = results[i];
      if (r.ok) continue;
      if (!this.ctx.force) await this.#undoAfter(queued, results, i);
      report(r.error);
      this.#outcome(2, queued[i].line);
      if (!this.ctx.force) return;
    }
  }

  /** Undoes, newest first, what the kernel applied after line `failed` of a window (see the module notes). */
  async #undoAfter(queued: Queued[], results: { ok: boolean }[], failed: number): Promise<void> {
    const undo = this.conn.batch();
    const undone: Queued[] = [];
    for (let i = queued.length - 1; i > failed; i--) {
      if (!results[i].ok) continue;
      enqueue(undo, undoOf(queued[i].change)!);
      undone.push(queued[i]);
    }
    if (undone.length === 0) return;
    const outcome = await undo.execute();
    outcome.results.forEach((r, k) => {
      if (!r.ok) {
        console.error(`nlink: could not undo line ${undone[k].line} after the failure above it: ${r.error?.message}`);
      }
    });
  }
}
