/**
 * Field paths for error messages (`route.metrics.mtu`), built for every field
 * of every request an encoder writes although only an error reads them: one
 * remembered per field and parent keeps a batch of 100,000 routes from making
 * a million throwaway strings.
 *
 * @module
 */

/**
 * `parent.name`, remembered for the last parent seen (which rarely changes).
 *
 * @example
 * ```ts
 * import { ChildPath } from "./path.ts";
 * const mtu = new ChildPath("mtu");
 * mtu.under("route.metrics"); // "route.metrics.mtu"
 * ```
 */
export class ChildPath {
  /** The field's name. */
  readonly name: string;
  #parent: string | undefined;
  #full = "";

  /** A path ending in `name`. */
  constructor(name: string) {
    this.name = name;
  }

  /** The full path under `parent`. */
  under(parent: string): string {
    if (parent !== this.#parent) {
      this.#parent = parent;
      this.#full = `${parent}.${this.name}`;
    }
    return this.#full;
  }
}
