/**
 * {@linkcode LazyModule}: a module imported on first use, so that a program
 * pays at start-up only for the operations it calls (the `ip link show`
 * start-up target of issue 6), while calls after the first go straight to the
 * loaded module (no `import()` per call on hot paths such as `getRoutes`).
 *
 * @module
 */

/** The prototype of async generator objects: gives `Symbol.asyncIterator` and `Symbol.asyncDispose`. */
const ASYNC_GENERATOR_PROTOTYPE: object = Object.getPrototypeOf(async function* () {}).prototype;

/**
 * A module loaded by `load` on first use.
 *
 * @example
 * ```ts ignore
 * import { LazyModule } from "./lazy.ts";
 * const ROUTE = new LazyModule(() => import("../route/route.ts"));
 * const routes = await ROUTE.call((m) => m.getRoutes(conn));
 * ```
 */
export class LazyModule<M> {
  #module: M | undefined;
  #loading: Promise<M> | undefined;
  readonly #load: () => Promise<M>;

  /**
   * Remembers how to load the module; nothing is imported yet.
   *
   * @example
   * ```ts ignore
   * const TC = new LazyModule(() => import("../tc/qdisc.ts"));
   * ```
   */
  constructor(load: () => Promise<M>) {
    this.#load = load;
  }

  /**
   * The module, imported on the first call.
   *
   * @example
   * ```ts ignore
   * const { getRoutes } = await ROUTE.get();
   * ```
   */
  get(): Promise<M> {
    return this.#loading ??= this.#load().then((m) => this.#module = m);
  }

  /**
   * `f(module)`: called at once when the module is loaded, else after loading it.
   *
   * @example
   * ```ts ignore
   * await ROUTE.call((m) => m.addRoute(conn, { dst: "10.0.0.0/24", dev: "p0" }));
   * ```
   */
  call<R>(f: (m: M) => Promise<R>): Promise<R> {
    const m = this.#module;
    return m !== undefined ? f(m) : this.get().then(f);
  }

  /**
   * The generator `f(module)` returns, without an extra layer once the module
   * is loaded; before that, one whose `next()` waits for the load and then
   * hands every call on to the real generator.
   *
   * @example
   * ```ts ignore
   * for await (const r of ROUTE.stream((m) => m.streamRoutes(conn))) console.log(r.dst);
   * ```
   */
  stream<T>(f: (m: M) => AsyncGenerator<T>): AsyncGenerator<T> {
    const m = this.#module;
    return m !== undefined ? f(m) : deferredGenerator(this.get().then(f));
  }
}

/**
 * An async generator that stands for the one `pending` resolves to: `next`,
 * `return` and `throw` wait for it, then call it directly (so the items pay
 * for no second generator). `for await`, `break` and `await using` work as
 * with the real one.
 */
function deferredGenerator<T>(pending: Promise<AsyncGenerator<T>>): AsyncGenerator<T> {
  let inner: AsyncGenerator<T> | undefined;
  pending.then((g) => inner = g, () => {}); // a load failure surfaces from next()
  const gen = Object.create(ASYNC_GENERATOR_PROTOTYPE) as AsyncGenerator<T>;
  Object.defineProperties(gen, {
    next: { value: (...a: [] | [unknown]) => inner ? inner.next(...a) : pending.then((g) => g.next(...a)) },
    return: {
      value: (v: unknown) => inner ? inner.return(v) : pending.then((g) => g.return(v)),
    },
    throw: { value: (e: unknown) => inner ? inner.throw(e) : pending.then((g) => g.throw(e)) },
  });
  return gen;
}
