/**
 * An attached XDP program as `ip link` / `ip address` print it (iproute2's
 * xdp_dump): the mode word after the MTU, the `prog/xdp… id N name … tag …`
 * lines, and the JSON `xdp` object. The programs' names and tags come from
 * bpf(2), which is asynchronous to load: {@linkcode loadXdpProgInfo} fetches
 * them before printing, and only when some link has a program attached.
 *
 * @module
 */
import type { BpfProgInfo, Link, LinkXdp } from "@nlink/nlink";
import { Kind, type Printer } from "../common/output.ts";

/** XDP_ATTACHED_*: the library's names in the kernel's order (the JSON `mode` is the number). */
const MODES = ["none", "drv", "skb", "hw", "multi"];
/** The text word for each mode (iproute2 names the driver mode plain `xdp`). */
const WORDS = ["", "xdp", "xdpgeneric", "xdpoffload", "xdpmulti"];

/** What {@linkcode loadXdpProgInfo} found, by program id (`null`: the program is gone or cannot be read). */
const infos = new Map<number, BpfProgInfo | null>();

function modeNumber(x: LinkXdp): number | undefined {
  if (x.attached === undefined) return undefined;
  return typeof x.attached === "number" ? x.attached : MODES.indexOf(x.attached);
}

/** The program ids of `x` (the single one and the per-mode ones). */
function progIds(x: LinkXdp): number[] {
  return [x.progId, x.skbProgId, x.drvProgId, x.hwProgId].filter((id): id is number => !!id);
}

/**
 * Fetches the name, tag and the rest of every XDP program attached to one of
 * `links`; call before printing them. Loads bpf(2) only when there is one. As
 * iproute2, a program that cannot be read is printed by its id alone.
 *
 * @example
 * ```ts ignore
 * await loadXdpProgInfo(links.list);
 * ```
 */
export async function loadXdpProgInfo(links: Iterable<Link>): Promise<void> {
  for (const link of links) {
    if (link.xdp === undefined || !modeNumber(link.xdp)) continue;
    for (const id of progIds(link.xdp)) {
      if (infos.has(id)) continue;
      // bpf(2) and its module load only when a program is attached.
      const { getBpfProgInfo } = await import("@nlink/nlink");
      infos.set(id, await getBpfProgInfo(id).catch(() => undefined) ?? null);
    }
  }
}

/** iproute2's bpf_dump_prog_info: `id N name X tag T jited` (and with `-d` load time, uid, BTF id). */
function printProg(p: Printer, id: number, details: boolean): void {
  p.openObject("prog");
  p.uint(Kind.Any, "id", "id %u ", id);
  const info = infos.get(id);
  if (info) {
    p.string(Kind.Any, "name", "name %s ", info.name);
    p.string(Kind.Any, "tag", "tag %s ", info.tag);
    p.uint(Kind.Json, "jited", "", info.jited ? 1 : 0);
    if (info.jited) p.write("jited ");
    if (details) {
      if (info.loadTime) {
        p.uint(Kind.Any, "load_time", "load_time %u ", info.loadTime);
        p.uint(Kind.Any, "created_by_uid", "created_by_uid %u ", info.createdByUid);
      }
      if (info.btfId) p.uint(Kind.Any, "btf_id", "btf_id %u ", info.btfId);
    }
  }
  p.closeObject();
}

/**
 * The part after the MTU: in text the mode word (with `/id:N` for `ip
 * address`), in JSON the whole `xdp` object. Prints nothing when no program
 * is attached.
 *
 * @example
 * ```ts ignore
 * printXdpMode(p, link.xdp, true, ctx.details);
 * ```
 */
export function printXdpMode(p: Printer, x: LinkXdp, doLink: boolean, details: boolean): void {
  const mode = modeNumber(x);
  if (!mode) return;
  if (p.json) {
    p.openObject("xdp");
    p.uint(Kind.Json, "mode", "", mode);
    if (x.progId) printProg(p, x.progId, details);
    p.openArray(Kind.Json, "attached");
    const one = (id: number | undefined, m: number) => {
      if (!id) return;
      p.openObject();
      p.uint(Kind.Json, "mode", "", m);
      printProg(p, id, details);
      p.closeObject();
    };
    if (x.skbProgId !== undefined || x.drvProgId !== undefined || x.hwProgId !== undefined) {
      one(x.skbProgId, 2);
      one(x.drvProgId, 1);
      one(x.hwProgId, 3);
    } else one(x.progId, mode); // kernels before the per-mode ids
    p.closeArray(Kind.Json);
    p.closeObject();
    return;
  }
  p.write(WORDS[mode] ?? `xdp[${mode}]`);
  if (x.progId && !doLink) p.write(`/id:${x.progId}`);
  p.write(" ");
}

/**
 * The `prog/xdp id N name … tag … jited` line(s) printed after the alias
 * (text only: JSON has them in the `xdp` object).
 *
 * @example
 * ```ts ignore
 * printXdpProgs(p, link.xdp, ctx.details);
 * ```
 */
export function printXdpProgs(p: Printer, x: LinkXdp, details: boolean): void {
  const mode = modeNumber(x);
  if (!mode || p.json) return;
  const line = (id: number | undefined, suffix: string) => {
    if (!id) return;
    p.write(`${p.sl}    prog/xdp${suffix} `);
    printProg(p, id, details);
  };
  line(x.progId, "");
  if (mode === 4) {
    line(x.skbProgId, "generic");
    line(x.drvProgId, "drv");
    line(x.hwProgId, "offload");
  }
}
