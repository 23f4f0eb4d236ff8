import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterAll, afterEach, beforeAll } from "vitest";
import { server } from "./server";

// `findBy…` waits 1 s by default: a page that lazy-loads and chains queries can take longer
// when `make test` runs eleven suites on two cores. A real failure still fails, later.
configure({ asyncUtilTimeout: 10000 });

// jsdom lacks what Radix, Recharts and the theme provider use.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
/** Set `target[key]` where jsdom lacks it. */
function fill<T extends object, K extends keyof T>(target: T, key: K, value: T[K]): void {
  target[key] ??= value;
}
globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver;
fill(window, "matchMedia", ((query: string) => ({
  matches: false,
  media: query,
  onchange: null,
  addEventListener: () => undefined,
  removeEventListener: () => undefined,
  addListener: () => undefined,
  removeListener: () => undefined,
  dispatchEvent: () => false,
})));
fill(Element.prototype, "hasPointerCapture", () => false);
fill(Element.prototype, "releasePointerCapture", () => undefined);
fill(Element.prototype, "scrollIntoView", () => undefined);
// CodeMirror measures text ranges.
const emptyRects = () => ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] }) as unknown as DOMRectList;
fill(Range.prototype, "getClientRects", emptyRects);
fill(Range.prototype, "getBoundingClientRect", () => new DOMRect(0, 0, 0, 0));

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  localStorage.clear();
});
afterAll(() => server.close());
