/**
 * `ip sr`: the namespace's segment routing settings (iproute2's ipseg6.c),
 * through the library's `SEG6` generic netlink methods: `tunsrc show|set
 * ADDRESS` and `hmac show|set KEYID ALGO`.
 *
 * `hmac set` reads the secret the way iproute2's getpass() does: from the
 * controlling terminal with echo off when there is one, else one line of
 * standard input after a prompt on standard error; an empty secret deletes
 * the key. A secret longer than the kernel's 64 bytes is refused before
 * anything is sent, with the text iproute2 prints when the kernel refuses it
 * (`RTNETLINK answers: Invalid argument`, exit 1).
 *
 * @module
 */
import { NetlinkError } from "@nlink/nlink/core";
import type { Seg6HmacAlgorithm } from "@nlink/nlink";
import { invalidArgument, matches, nextWord, UsageError } from "../common/args.ts";
import { dumpTerminated, kernelMessage } from "../common/errors.ts";
import { AF_INET6, getAddr, parseUnsigned, prefixText } from "../common/inet.ts";
import { connect, type IpContext, printer } from "./context.ts";
import { printHmac, printTunsrc } from "./sr_print.ts";
import { readSecret } from "./sr_secret.ts";
import { requireGenlFamily } from "./genl_family.ts";

const USAGE = `Usage: ip sr { COMMAND | help }
          ip sr hmac show
          ip sr hmac set KEYID ALGO
          ip sr tunsrc show
          ip sr tunsrc set ADDRESS
where  ALGO := { sha1 | sha256 }`;

/** The prompt iproute2 shows before reading an HMAC secret. */
const PROMPT = "Enter secret for HMAC key ID (blank to delete): ";

/** The longest secret the kernel keeps (SEG6_HMAC_SECRET_LEN). */
const SECRET_MAX = 64;

function usage(): never {
  console.error(USAGE);
  throw new UsageError("", 255, true);
}

/** One parsed `ip sr` command. */
type Command =
  | { op: "tunsrc show" }
  | { op: "tunsrc set"; address: string }
  | { op: "hmac show" }
  | { op: "hmac set"; keyId: number; algorithm: Seg6HmacAlgorithm };

/** Reads the words the way iproute2's do_seg6 does, with its messages in its order. */
function parse(words: string[]): Command {
  const [object] = words;
  if (matches(object, "hmac")) {
    const sub = nextWord(words, 1);
    if (matches(sub, "show")) return { op: "hmac show" };
    if (matches(sub, "set")) {
      const id = nextWord(words, 2);
      const keyId = parseUnsigned(id);
      if (keyId === undefined || keyId === 0) throw invalidArgument("hmac KEYID value is invalid", id);
      const algorithm = nextWord(words, 3);
      if (algorithm !== "sha1" && algorithm !== "sha256") {
        throw invalidArgument("hmac ALGO value is invalid", algorithm);
      }
      return { op: "hmac set", keyId, algorithm };
    }
    throw invalidArgument("unknown", sub);
  }
  if (matches(object, "tunsrc")) {
    const sub = nextWord(words, 1);
    if (matches(sub, "show")) return { op: "tunsrc show" };
    if (matches(sub, "set")) {
      return { op: "tunsrc set", address: prefixText(getAddr(nextWord(words, 2), AF_INET6), false) };
    }
    throw invalidArgument("unknown", sub);
  }
  throw invalidArgument("unknown", object);
}

/** A kernel error reported as iproute2's rtnl_talk reports it, with the exit code its caller gives. */
function talkFailed(e: unknown, code: number): never {
  if (e instanceof NetlinkError) throw new UsageError(kernelMessage(e), code);
  throw e;
}

/**
 * Runs `ip sr ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./sr.ts";
 * await run(ctx, ["tunsrc", "set", "fc00::1"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length === 0 || matches(args[0], "help")) usage();
  using conn = await connect(ctx);
  const cmd = parse(args);
  const secret = cmd.op === "hmac set" ? await readSecret(PROMPT) : undefined;
  await requireGenlFamily(conn, "SEG6");
  switch (cmd.op) {
    case "tunsrc set":
      await conn.setSeg6Tunsrc(cmd.address).catch((e) => talkFailed(e, 1));
      return 0;
    case "hmac set":
      // The kernel answers EINVAL to a longer secret: say so without sending it.
      if (secret!.length > SECRET_MAX) throw new UsageError("RTNETLINK answers: Invalid argument", 1);
      await conn.setSeg6Hmac({ keyId: cmd.keyId, algorithm: cmd.algorithm, secret: secret! }).catch((e) =>
        talkFailed(e, 1)
      );
      return 0;
    case "tunsrc show": {
      const address = await conn.getSeg6Tunsrc().catch((e) => talkFailed(e, 2));
      const p = printer(ctx);
      p.startList();
      printTunsrc(p, address);
      p.endList();
      p.flush();
      return 0;
    }
    case "hmac show": {
      const keys = await conn.getSeg6Hmacs().catch(dumpTerminated);
      const p = printer(ctx);
      p.startList();
      for (const k of keys) printHmac(p, k);
      p.endList();
      p.flush();
      return 0;
    }
  }
}
