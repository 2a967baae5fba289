/**
 * A route's (or a multipath next hop's) lightweight-tunnel encapsulation as
 * `ip route show` prints it (iproute2's lwt_print_encap): ` encap mpls  100/200
 * ttl 5 `, ` encap seg6 mode encap segs 2 [ A B ] `, ` encap seg6local action
 * End.DT6 table 100 `, and the same fields in JSON. Written straight into the
 * route printer's output (text bytes or {@linkcode JsonBytes}).
 *
 * @module
 */
import { Color, colored } from "../common/color.ts";
import type { MplsEncap, RouteEncap, Seg6Encap, Seg6LocalEncap, Srh } from "@nlink/nlink";
import type { ByteSink } from "../common/bytes.ts";
import { type JsonBytes, Kind, type Printer } from "../common/output.ts";
import { tableName } from "../common/names.ts";
import type { LinkNames } from "./links.ts";

/** What the encapsulation printer needs from the route printer's options. */
export interface EncapPrintOptions {
  /** `-s`: seg6local counters are printed. */
  stats: number;
  /** `-N`: table ids as numbers. */
  numeric: boolean;
}

/** iproute2's format_encap_type names (the library's names, but type 0 and unknown ones are "unknown"). */
const ENCAP_NAMES = new Set(["mpls", "ip", "ip6", "ila", "bpf", "seg6", "seg6local", "rpl", "ioam6", "xfrm"]);

/** The SRH slot for the original destination an inserted SRH keeps (the library leaves it out of the list). */
const PLACEHOLDER = "::";

/** seg6 modes iproute2 knows by name (a number it does not know prints as `<unknown>`). */
const SEG6_MODES = new Set(["inline", "encap", "l2encap", "encap.red", "l2encap.red"]);

/**
 * Prints ` encap TYPE …` for `e` into the text sink, or its members into `j`
 * when printing JSON.
 *
 * @example
 * ```ts ignore
 * if (r.encap !== undefined) printEncap(r.encap, j, sink, links, options);
 * ```
 */
export function printEncap(
  e: RouteEncap,
  j: JsonBytes | undefined,
  sink: ByteSink,
  links: LinkNames,
  o: EncapPrintOptions,
): void {
  printEncapTo(new BytesOut(j, sink), e, links, o);
}

/**
 * Prints ` encap TYPE …` for `e` through a {@linkcode Printer} (the nexthop
 * printer's output), text or JSON as the printer is.
 *
 * @example
 * ```ts ignore
 * if (nh.encap !== undefined) printEncapWith(p, nh.encap, links, { stats: 0, numeric: false });
 * ```
 */
export function printEncapWith(p: Printer, e: RouteEncap, links: LinkNames, o: EncapPrintOptions): void {
  printEncapTo(new PrinterOut(p), e, links, o);
}

function printEncapTo(out: EncapOut, e: RouteEncap, links: LinkNames, o: EncapPrintOptions): void {
  const type = typeof e.type === "string" && ENCAP_NAMES.has(e.type) ? e.type : "unknown";
  out.str("encap", ` encap ${type} `, type);
  switch (e.type) {
    case "mpls":
      return printMpls(out, e as MplsEncap);
    case "seg6":
      return printSeg6(out, e as Seg6Encap);
    case "seg6local":
      return printSeg6Local(out, e as Seg6LocalEncap, links, o);
  }
  // ip, ip6, ila, bpf, rpl, ioam6, xfrm: the library keeps them raw; only the type is printed.
}

/** The JSON calls the encapsulation printers make (JsonBytes' names). */
interface EncapJson {
  string(key: string | null, value: string): void;
  uint(key: string, value: number): void;
  raw(key: string, json: string): void;
  openArray(key: string): void;
  closeArray(): void;
  openObject(key: string): void;
  closeObject(): void;
}

/** Where the encapsulation goes: text, or members through `j` when printing JSON. */
interface EncapOut {
  /** The JSON writer, when printing JSON. */
  readonly j: EncapJson | undefined;
  /** A string member: `text` in text mode, `key: value` in JSON. */
  str(key: string, text: string, value: string): void;
  /** Text only. */
  text(text: string): void;
}

/** Through a Printer (text or JSON, as the printer is). */
class PrinterOut implements EncapOut {
  readonly j: EncapJson | undefined;

  constructor(readonly p: Printer) {
    this.j = p.json
      ? {
        string: (key, value) => p.string(Kind.Json, key, "%s", value),
        uint: (key, value) => p.uint(Kind.Json, key, "%u", value),
        raw: (key, json) => p.raw(key, json),
        openArray: (key) => p.openArray(Kind.Json, key),
        closeArray: () => p.closeArray(Kind.Json),
        openObject: (key) => p.openObject(key),
        closeObject: () => p.closeObject(),
      }
      : undefined;
  }

  str(key: string, text: string, value: string): void {
    if (this.j) this.j.string(key, value);
    else this.p.write(text);
  }

  text(text: string): void {
    if (!this.j) this.p.write(text);
  }
}

/** Text into the sink, or members into the JSON writer. */
class BytesOut implements EncapOut {
  constructor(readonly j: JsonBytes | undefined, readonly sink: ByteSink) {}

  /** A string member: `text` in text mode, `key: value` in JSON. */
  str(key: string, text: string, value: string): void {
    if (this.j) this.j.string(key, value);
    else this.sink.str(text);
  }

  /** Text only. */
  text(text: string): void {
    if (!this.j) this.sink.str(text);
  }
}

function printMpls(out: EncapOut, e: MplsEncap): void {
  const labels = e.labels.join("/");
  out.str("dst", ` ${labels} `, labels);
  if (e.ttl !== undefined) {
    if (out.j) out.j.uint("ttl", e.ttl);
    else out.text(`ttl ${e.ttl} `);
  }
}

function printSeg6(out: EncapOut, e: Seg6Encap): void {
  const mode = typeof e.mode === "string" && SEG6_MODES.has(e.mode) ? e.mode : "<unknown>";
  out.str("mode", `mode ${mode} `, mode);
  printSrh(out, e.mode === "inline" ? [...e.segments, PLACEHOLDER] : e.segments, e.hmac);
}

/** iproute2's print_srh: the segments in travel order, the original-destination slot last, then the HMAC key id. */
function printSrh(out: EncapOut, segments: string[], hmac: number | undefined): void {
  if (out.j) {
    out.j.openArray("segs");
    for (const s of segments) out.j.string(null, s);
    out.j.closeArray();
  } else out.text(`segs ${segments.length} [ ${segments.map((s) => colored(Color.Inet6, s + " ")).join("")}] `);
  if (hmac !== undefined) out.str("hmac", `hmac ${hmac.toString(16).toUpperCase()} `, "0x" + hmac.toString(16));
}

function printSeg6Local(out: EncapOut, e: Seg6LocalEncap, links: LinkNames, o: EncapPrintOptions): void {
  const action = typeof e.action === "number"
    ? (e.action > 16 ? "<invalid>" : "<unknown>")
    : e.action === "unspec"
    ? "<unknown>"
    : e.action;
  out.str("action", `action ${action} `, action);
  if (e.srh !== undefined) {
    const segs = e.action === "End.B6.Encaps" ? e.srh.segments : [...e.srh.segments, PLACEHOLDER];
    out.j?.openObject("srh");
    printSrh(out, segs, (e.srh as Srh).hmac);
    out.j?.closeObject();
  }
  if (e.table !== undefined) {
    const t = tableName(e.table, o.numeric);
    out.str("table", `table ${t} `, t);
  }
  if (e.vrftable !== undefined) {
    const t = tableName(e.vrftable, o.numeric);
    out.str("vrftable", `vrftable ${t} `, t);
  }
  if (e.nh4 !== undefined) out.str("nh4", `nh4 ${e.nh4} `, e.nh4);
  if (e.nh6 !== undefined) out.str("nh6", `nh6 ${e.nh6} `, e.nh6);
  if (e.iif !== undefined) {
    const name = links.name(e.iif);
    out.str("iif", `iif ${name} `, name);
  }
  if (e.oif !== undefined) {
    const name = links.name(e.oif);
    out.str("oif", `oif ${name} `, name);
  }
  if (e.bpf !== undefined) {
    const name = e.bpf.progName;
    if (out.j) out.j.string("endpoint", name ?? "<unknown>");
    else out.text(name === undefined ? "endpoint " : `endpoint ${name} `);
  }
  if (e.counters !== undefined && o.stats) {
    const { packets, bytes, errors } = e.counters;
    if (out.j) {
      out.j.openObject("stats64");
      out.j.raw("packets", String(packets));
      out.j.raw("bytes", String(bytes));
      out.j.raw("errors", String(errors));
      out.j.closeObject();
    } else out.text(`packets ${packets} bytes ${bytes} errors ${errors} `);
  }
  if (e.flavors !== undefined) printFlavors(out, e.flavors);
}

/** iproute2's print_seg6_local_flavors: the operations (comma-separated in text), then the NEXT-C-SID lengths. */
function printFlavors(out: EncapOut, f: NonNullable<Seg6LocalEncap["flavors"]>): void {
  if (f.operations !== undefined) {
    if (out.j) {
      out.j.openArray("flavors");
      for (const op of f.operations) out.j.string(null, op);
      out.j.closeArray();
    } else out.text(`flavors ${f.operations.join(",")} `);
  }
  if (f.lcblockBits !== undefined) {
    if (out.j) out.j.uint("lblen", f.lcblockBits);
    else out.text(`lblen ${f.lcblockBits} `);
  }
  if (f.lcnodeFnBits !== undefined) {
    if (out.j) out.j.uint("nflen", f.lcnodeFnBits);
    else out.text(`nflen ${f.lcnodeFnBits} `);
  }
}
