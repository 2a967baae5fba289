/**
 * `ip rule save | restore` (iproute2's ip/iprule.c): the binary rule dump (a
 * magic number, then the kernel's RTM_NEWRULE messages) on stdout and stdin,
 * through the library; files are interchangeable with iproute2's. iproute2 6.1
 * has no `ip rule showdump`.
 *
 * @module
 */
import { NetlinkError, ValidationError } from "@nlink/nlink/core";
import { splitDumpFile } from "@nlink/nlink";
import { UsageError } from "../common/args.ts";
import { kernelMessage } from "../common/errors.ts";
import { connect, type IpContext } from "./context.ts";
import { ruleCtxFamily, ruleFamilyName } from "./rule_family.ts";
import { readStdin, writeAll } from "./route_save.ts";

/**
 * Runs `ip rule save`: the family's rules (IPv4 unless `-6`), unfiltered; it
 * takes no arguments.
 *
 * @example
 * ```ts ignore
 * await saveRules(ctx, []);
 * ```
 */
export async function saveRules(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length > 0) throw new UsageError('"ip rule save" does not take any arguments.', 1);
  if (Deno.stdout.isTerminal()) throw new UsageError("Not sending a binary stream to stdout", 1);
  using conn = await connect(ctx);
  writeAll(await conn.saveRules({ family: ruleFamilyName(ruleCtxFamily(ctx)) }));
  return 0;
}

/** ftell's answer on a pipe (-1 as an unsigned long), which iproute2 prints as the offset of a malformed message. */
const NO_OFFSET = "18446744073709551615";

/**
 * Prints what is wrong with a dump file in iproute2's words and exits 255. The
 * offset of a malformed message is ftell's: true only when stdin is a file.
 */
async function damaged(e: unknown): Promise<never> {
  if (!(e instanceof ValidationError)) throw e;
  let text = e.why;
  if (text.startsWith("truncated")) text = "rtnl-from_file: truncated message";
  else if (text.startsWith("malformed")) {
    const seekable = await Deno.stat("/dev/stdin").then((s) => s.isFile, () => false);
    text = "!!!" + (seekable ? text : text.replace(/@\d+$/, `@${NO_OFFSET}`));
  }
  console.error(text);
  throw new UsageError("", 255, true);
}

/**
 * Runs `ip rule restore` (the dump on stdin). Like iproute2, the rules before
 * a damaged message are restored, then it fails; every failure exits 255.
 *
 * @example
 * ```ts ignore
 * await restoreRules(ctx);
 * ```
 */
export async function restoreRules(ctx: IpContext): Promise<number> {
  const file = await readStdin("rule", 255);
  let whole: Uint8Array, damage: ValidationError | undefined;
  try {
    ({ whole, error: damage } = splitDumpFile(file, "rule"));
  } catch (e) {
    return await damaged(e);
  }
  using conn = await connect(ctx);
  try {
    await conn.restoreRules(whole);
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    console.error(kernelMessage(e));
    return 255;
  }
  if (damage) await damaged(damage);
  return 0;
}
