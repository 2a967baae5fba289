/**
 * The `ip`, `tc`, `ss` and `bridge` command-line tools on nlink, as one multi-call entry:
 * the first argument picks the tool (`deno run -A cli/main.ts ip addr show`);
 * in a compiled binary the binary's own name picks it too, busybox-style
 * (`ip addr show` when the binary is called `ip`).
 *
 * Each tool's modules are loaded only when it runs, so start-up pays for one tool.
 *
 * @example
 * ```sh
 * deno run -A jsr:@nlink/cli ip -j address show
 * ```
 *
 * @module
 */
/** A tool's entry point: arguments after the tool name → exit code. */
export type ToolMain = (args: string[]) => Promise<number>;

const TOOLS: Record<string, () => Promise<{ main: ToolMain }>> = {
  ip: () => import("./ip/main.ts"),
  tc: () => import("./tc/main.ts"),
  ss: () => import("./ss/main.ts"),
  bridge: () => import("./bridge/main.ts"),
};

const USAGE = `Usage: nlink TOOL [ARGS...]
       ip [ OPTIONS ] OBJECT { COMMAND | help }
       tc [ OPTIONS ] OBJECT { COMMAND | help }
       ss [ OPTIONS ] [ FILTER ]
       bridge [ OPTIONS ] OBJECT { COMMAND | help }
TOOL := { ip | tc | ss | bridge }
Linked or copied under one of the tool names, the binary acts as that tool.
`;

/**
 * Runs the multi-call CLI: picks the tool from `invokedAs` (the program's
 * name) or else from the first argument, and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { main } from "./main.ts";
 * const code = await main(["ip", "link", "show"]);
 * ```
 */
export async function main(args: string[], invokedAs?: string): Promise<number> {
  let tool = invokedAs !== undefined && isTool(invokedAs) ? invokedAs : undefined;
  let rest = args;
  if (!tool) {
    if (args.length === 0 || !isTool(args[0])) {
      (args.length === 0 || args[0] === "help" || args[0] === "-h" || args[0] === "--help"
        ? console.log
        : console.error)(USAGE.trimEnd());
      return args.length === 0 || args[0] === "help" || args[0] === "-h" || args[0] === "--help" ? 0 : 1;
    }
    tool = args[0];
    rest = args.slice(1);
  }
  const { main: run } = await TOOLS[tool]();
  return await run(rest);
}

function isTool(name: string): boolean {
  return Object.hasOwn(TOOLS, name);
}

/** A path's last component without `.exe`, if that names a tool. */
function toolOf(path: string | undefined): string | undefined {
  const name = path?.slice(path.lastIndexOf("/") + 1).replace(/\.exe$/, "");
  return name !== undefined && isTool(name) ? name : undefined;
}

/**
 * The tool the program's own name picks, for busybox-style dispatch in a
 * compiled binary: the executable's name, else the name it was called by (a
 * symlink such as `ip -> nlink`). The latter needs node:process, which costs
 * start-up time, so it is read only when the first argument does not name
 * the tool anyway (as under `deno run cli/main.ts ip …`).
 */
async function programName(args: string[]): Promise<string | undefined> {
  let exe: string | undefined;
  try {
    exe = Deno.execPath();
  } catch {
    // no read permission: only argv[0] can tell
  }
  const byExe = toolOf(exe);
  if (byExe !== undefined) return byExe;
  if (args.length > 0 && isTool(args[0])) return undefined;
  const { default: process } = await import("node:process");
  return toolOf(process.argv0);
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args, await programName(Deno.args)));
}
