/**
 * tc's action lists (`action KIND ARGS… [cookie HEX] [hw_stats T] [no_percpu]
 * [skip_sw|skip_hw] action …`), as m_action.c reads them in `tc actions` and
 * inside filters: a verdict word alone is a gact action; each kind's words
 * go to its parser in m_*.ts.
 *
 * @module
 */
import type { ActionOptions } from "@nlink/nlink/tc";
import { matches, UsageError } from "../common/args.ts";
import { cUint, verdictWord, Words } from "./filter_args.ts";
import { GENERIC_ACTIONS } from "./m_generic.ts";
import { L2_ACTIONS } from "./m_l2.ts";
import { PEDIT_ACTIONS } from "./m_pedit.ts";
import { TUNNEL_ACTIONS } from "./m_tunnel.ts";
import { ACTION_USAGE } from "./m_usage.ts";

/** Parses one action kind's words, the cursor on the kind's name (or a verdict, for gact). */
export type ActionParser = (w: Words) => Record<string, unknown>;

/** Every action kind's parser, by kind. */
export const ACTION_PARSERS: Readonly<Record<string, ActionParser>> = {
  ...GENERIC_ACTIONS,
  ...L2_ACTIONS,
  ...PEDIT_ACTIONS,
  ...TUNNEL_ACTIONS,
};

/** m_action.c's new_cmd: a word that starts another command ends the list. */
function newCommand(word: string): boolean {
  return ["change", "replace", "delete", "get", "add"].some((c) => matches(word, c));
}

const HW_STATS = ["immediate", "delayed", "disabled"];

/** How many words remain from the cursor (iproute2's argc, in its messages). */
function argc(w: Words): number {
  return w.argv.length - w.i;
}

function bad(w: Words, why = ""): UsageError {
  return new UsageError(`${why}parse_action: bad value (${argc(w)}:${w.word})!`, 1);
}

/** A device name's ifindex (0: none such), for the kinds that name one (mirred); set by the command before parsing. */
let deviceIndexOf: (name: string) => number = () => 0;

/**
 * Sets how action parsers look device names up (tc looks them up while
 * parsing, in its link table).
 *
 * @example
 * ```ts ignore
 * setDeviceLookup((name) => links.index(name));
 * ```
 */
export function setDeviceLookup(lookup: (name: string) => number): void {
  deviceIndexOf = lookup;
}

/**
 * The ifindex of a device an action parser read: tc's `Cannot find device
 * "NAME"` (a parse failure) when it does not exist.
 *
 * @example
 * ```ts ignore
 * o.dev = checkDevice(w.value());
 * ```
 */
export function checkDevice(name: string): number {
  const index = deviceIndexOf(name);
  if (!index) throw new UsageError(`Cannot find device "${name}"`, 1);
  return index;
}

/**
 * Whether `next`, the word after an action kind, asks for the kind's usage:
 * `help` (abbreviated, except for police). gact, nat and bpf read it
 * themselves (gact and nat as a word they do not know).
 */
function kindHelp(kind: string, next: string | undefined): boolean {
  if (next === undefined || kind === "nat" || kind === "bpf" || !Object.hasOwn(ACTION_USAGE, kind)) return false;
  return kind === "police" ? next === "help" : matches(next, "help");
}

/**
 * {@linkcode parseActions}, a failure reported as tc reports it after the
 * list: `Illegal "action"`, exit `code` (1 in filters, 255 in `tc actions`).
 *
 * @example
 * ```ts ignore
 * o.actions = parseActionsOrFail(w, 1);
 * ```
 */
export function parseActionsOrFail(w: Words, code: number): ActionOptions[] {
  try {
    return parseActions(w);
  } catch (e) {
    if (e instanceof UsageError && e.code === 1 && !e.printed) {
      throw new UsageError(`${e.message}\nIllegal "action"`, code);
    }
    throw e;
  }
}

/**
 * Reads an action list from the cursor (on `action`) to the first word that
 * is not part of it (`classid`, `flowid`, a filter option, the end).
 *
 * @example
 * ```ts ignore
 * parseActions(new Words(["action", "mirred", "egress", "redirect", "dev", "p1"]));
 * ```
 */
export function parseActions(w: Words): ActionOptions[] {
  const list: Record<string, unknown>[] = [];
  let expecting = false;
  while (w.more) {
    const word = w.word!;
    if (word === "action" || word === "actions") {
      w.advance();
      expecting = true;
      continue;
    }
    if (word === "flowid" || word === "classid") break;
    if (word === "help") throw new UsageError("", 255, true);
    if (newCommand(word)) break;
    // tc parses a kind it has no module for as gact, from the kind's own word: a verdict (`action drop`)
    // or `index N` then works, anything else is gact's "Bad action type" error.
    const kind = verdictWord(word) !== undefined || !Object.hasOwn(ACTION_PARSERS, word) ? "gact" : word;
    expecting = false;
    if (kind === word && kindHelp(kind, w.argv[w.i + 1])) {
      throw new UsageError(ACTION_USAGE[kind], 255); // the kind's usage(): its explain(), exit 255
    }
    const parser = ACTION_PARSERS[kind];
    const at = new Words(w.argv, w.i);
    let parsed: Record<string, unknown>;
    try {
      parsed = parser(w);
    } catch (e) {
      if (e instanceof UsageError && e.code === 1 && !e.printed) {
        throw bad(at, `${e.message ? e.message + "\n" : ""}bad action parsing\n`);
      }
      throw e;
    }
    const o: Record<string, unknown> = { kind, ...parsed };
    if (w.is("cookie")) {
      const v = w.value();
      if (v.length > 32) throw new UsageError(`Error: argument "${v}" is wrong: ${v.length} Max allowed size 32`, 255);
      if (v.length % 2 || !/^[0-9a-fA-F]*$/.test(v)) {
        throw new UsageError(`Error: argument "${v}" is wrong: cookie must be a hex string\n`, 255);
      }
      o.cookie = v;
      w.advance();
    }
    if (w.abbrev("hw_stats")) {
      const v = w.value();
      const t = HW_STATS.find((h) => matches(v, h));
      if (t === undefined) throw new UsageError(`Error: argument "${v}" is wrong: value is invalid\n`, 255);
      o.hwStats = t;
      w.advance();
    }
    if (w.is("no_percpu")) {
      o.noPercpu = true;
      w.advance();
    }
    for (let k = 0; k < 2; k++) {
      if (w.is("skip_sw")) {
        o.skipSw = true;
        w.advance();
      } else if (w.is("skip_hw")) {
        o.skipHw = true;
        w.advance();
      }
    }
    list.push(o);
  }
  if (expecting) throw bad(w, "bad action empty 1\n");
  return list as unknown as ActionOptions[];
}

/** A parsed `tc actions` command. */
export type ActionCommand =
  | { op: "add" | "replace" | "change"; actions: ActionOptions[] }
  | { op: "get" | "delete"; kind: string; index: number }
  | { op: "list" | "flush"; kind: string };

/** The usage text of `tc actions`. */
export const ACTIONS_USAGE = `usage: tc actions <ACTSPECOP>*
Where: 	ACTSPECOP := ACR | GD | FL
	ACR := add | change | replace <ACTSPEC>*
	GD := get | delete | <ACTISPEC>*
	FL := ls | list | flush | <ACTNAMESPEC>
	ACTNAMESPEC :=  action <ACTNAME>
	ACTISPEC := <ACTNAMESPEC> <INDEXSPEC>
	ACTSPEC := action <ACTDETAIL> [INDEXSPEC] [HWSTATSSPEC] [SKIPSPEC]
	INDEXSPEC := index <32 bit indexvalue>
	HWSTATSSPEC := hw_stats [ immediate | delayed | disabled ]
	SKIPSPEC := [ skip_sw | skip_hw ]
	ACTDETAIL := <ACTNAME> <ACTPARAMS>
		Example ACTNAME is gact, mirred, bpf, etc
		Each action has its own parameters (ACTPARAMS)
`;

function actionsUsage(): UsageError {
  console.error(ACTIONS_USAGE);
  return new UsageError("", 255, true);
}

/**
 * Parses `tc actions OP …` (m_action.c's do_action).
 *
 * @example
 * ```ts ignore
 * parseActionCommand(["add", "action", "drop"]); // { op: "add", actions: [{ kind: "gact", control: "drop" }] }
 * ```
 */
export function parseActionCommand(args: readonly string[]): ActionCommand {
  const [verb, ...rest] = args;
  if (matches(verb, "add") || matches(verb, "change") || matches(verb, "replace")) {
    const op = matches(verb, "add") ? "add" : matches(verb, "change") ? "change" : "replace";
    const w = new Words(rest);
    const actions = parseActionsOrFail(w, 255);
    if (w.more) throw new UsageError(`Command "${w.word}" is unknown, try "tc actions help".`, 255);
    return { op, actions };
  }
  if (matches(verb, "delete") || matches(verb, "get")) {
    const op = matches(verb, "delete") ? "delete" : "get";
    const w = new Words(rest);
    if (w.is("action")) w.advance();
    const kind = w.word;
    if (kind === undefined) throw new UsageError("bad action", 1);
    if (ACTION_PARSERS[kind] === undefined) throw new UsageError(`Error: non existent action: ${kind}`, 1);
    w.advance();
    if (!w.abbrev("index")) throw new UsageError(`Error: no index specified for action ${kind}`, 1);
    const v = w.value();
    const index = cUint(v, 10);
    if (index === undefined) throw new UsageError('Illegal "index"', 1);
    return { op, kind, index };
  }
  if (matches(verb, "list") || matches(verb, "show") || matches(verb, "lst") || matches(verb, "flush")) {
    if (args.length <= 2) throw actionsUsage();
    const kind = args[2];
    return { op: matches(verb, "flush") ? "flush" : "list", kind };
  }
  if (matches(verb, "help")) throw actionsUsage();
  throw new UsageError(`Command "${verb}" is unknown, try "tc actions help".`, 255);
}
