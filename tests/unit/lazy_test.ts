/** LazyModule: one load, calls straight to the module afterwards, generators that stand in until it loads. */
import { deepStrictEqual, equal, rejects } from "node:assert/strict";
import { LazyModule } from "../../src/core/lazy.ts";

function fakeModule() {
  let closed = 0;
  return {
    get closed() {
      return closed;
    },
    twice: (x: number) => Promise.resolve(2 * x),
    async *count(n: number): AsyncGenerator<number> {
      try {
        for (let i = 0; i < n; i++) yield i;
      } finally {
        closed++;
      }
    },
  };
}

Deno.test("lazy: the module loads once, on the first call", async () => {
  let loads = 0;
  const lazy = new LazyModule(() => (loads++, Promise.resolve(fakeModule())));
  equal(loads, 0);
  deepStrictEqual(await Promise.all([lazy.call((m) => m.twice(1)), lazy.call((m) => m.twice(2))]), [2, 4]);
  equal(await lazy.call((m) => m.twice(3)), 6);
  equal(loads, 1);
});

Deno.test("lazy: a stream before the load yields everything, and break closes the real generator", async () => {
  const mod = fakeModule();
  const lazy = new LazyModule(() => Promise.resolve(mod));
  const seen: number[] = [];
  for await (const i of lazy.stream((m) => m.count(3))) seen.push(i);
  deepStrictEqual(seen, [0, 1, 2]);
  const early = new LazyModule(() => Promise.resolve(mod));
  for await (const i of early.stream((m) => m.count(10))) if (i === 1) break;
  equal(mod.closed, 2);
});

Deno.test("lazy: after the load, a stream is the module's own generator", async () => {
  const lazy = new LazyModule(() => Promise.resolve(fakeModule()));
  await lazy.get();
  const g = lazy.stream((m) => m.count(2));
  equal(Object.getPrototypeOf(Object.getPrototypeOf(g)), Object.getPrototypeOf(async function* () {}).prototype);
  deepStrictEqual(await Array.fromAsync(g), [0, 1]);
});

Deno.test("lazy: the stand-in generator is async-iterable and disposable", async () => {
  const mod = fakeModule();
  const g = new LazyModule(() => Promise.resolve(mod)).stream((m) => m.count(5));
  equal(g[Symbol.asyncIterator](), g);
  deepStrictEqual(await g.next(), { value: 0, done: false });
  await g[Symbol.asyncDispose]();
  equal(mod.closed, 1);
  deepStrictEqual(await g.next(), { value: undefined, done: true });
});

Deno.test("lazy: a failed load rejects the call and the stream's first next()", async () => {
  const lazy = new LazyModule<ReturnType<typeof fakeModule>>(() => Promise.reject(new Error("no such module")));
  await rejects(lazy.call((m) => m.twice(1)), /no such module/);
  const g = lazy.stream((m) => m.count(1));
  await rejects(g.next(), /no such module/);
});
