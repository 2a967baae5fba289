/**
 * Running host commands for the VM lane, and the one error that means "this
 * machine cannot run the lane" (as opposed to "the lane is broken").
 *
 * @module
 */

/**
 * The lane cannot run on this machine (no qemu, no apt, no root, no archive): a skip, not a failure.
 *
 * @example
 * ```ts ignore
 * throw new LaneUnavailable("missing qemu-system-x86 and not root to install it");
 * ```
 */
export class LaneUnavailable extends Error {
  /** The error's name, for messages. */
  override name = "LaneUnavailable";
}

/** What a finished command left behind. */
export interface Output {
  /** Exit code (127 when the program does not exist). */
  code: number;
  /** Standard output, decoded. */
  stdout: string;
  /** Standard error, decoded. */
  stderr: string;
}

/** Options for {@linkcode exec}. */
export interface ExecOptions {
  /** Working directory. */
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Bytes for standard input. */
  stdin?: Uint8Array;
  /** Return a non-zero exit code instead of throwing. */
  allowFail?: boolean;
  /** Let the output through to the terminal instead of capturing it (apt's progress). */
  inherit?: boolean;
}

const decoder = new TextDecoder();

/**
 * Runs a program to completion. Throws (with its stderr) when it fails,
 * unless `allowFail`; a missing program is exit code 127, like a shell's.
 *
 * @example
 * ```ts ignore
 * const { stdout } = await exec("dpkg-query", ["-W", "-f=${Version}", "iproute2"]);
 * ```
 */
export async function exec(cmd: string, args: string[], options: ExecOptions = {}): Promise<Output> {
  const io = options.inherit ? "inherit" : "piped";
  let out: Output;
  try {
    const child = new Deno.Command(cmd, {
      args,
      cwd: options.cwd,
      env: options.env,
      stdin: options.stdin ? "piped" : "null",
      stdout: io,
      stderr: io,
    }).spawn();
    if (options.stdin) {
      const w = child.stdin.getWriter();
      await w.write(options.stdin);
      await w.close();
    }
    const r = await child.output();
    out = {
      code: r.code,
      stdout: options.inherit ? "" : decoder.decode(r.stdout),
      stderr: options.inherit ? "" : decoder.decode(r.stderr),
    };
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    out = { code: 127, stdout: "", stderr: `${cmd}: not found` };
  }
  if (out.code !== 0 && !options.allowFail) {
    throw new Error(`${cmd} ${args.join(" ")} exited with ${out.code}: ${out.stderr.trim().slice(-2000)}`);
  }
  return out;
}

/**
 * Where an executable is on PATH (and the sbin directories, which a
 * non-login root shell may lack), or undefined.
 *
 * @example
 * ```ts ignore
 * const qemu = await which("qemu-system-x86_64"); // "/usr/bin/qemu-system-x86_64"
 * ```
 */
export async function which(name: string): Promise<string | undefined> {
  const dirs = [...(Deno.env.get("PATH") ?? "").split(":"), "/usr/sbin", "/sbin"];
  for (const dir of dirs.filter((d) => d !== "")) {
    try {
      const st = await Deno.stat(`${dir}/${name}`);
      if (st.isFile && (st.mode ?? 0) & 0o111) return `${dir}/${name}`;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}
