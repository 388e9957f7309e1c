/**
 * Domain errors (and other classes that cross bundles: live events on their way to the
 * output transformer) recognised across Next's bundles. Next bundles a module once per entry
 * (instrumentation, each route), so a singleton made at start-up (the live hub, the archive
 * service, the workload manager…) throws errors of *its* copy of a class, which `instanceof`
 * against the route's copy would not recognise: the error map (server/trpc/errors.ts) would
 * answer 500. A branded class carries a realm-wide mark on its prototype, and `instanceof`
 * reads that mark instead of the prototype chain's identity.
 */
const BRAND = Symbol.for("tracedeck.domain-error");

/** `instanceof cls` true for instances of every bundle's copy of the class named `name`. */
export function brandAcrossBundles(cls: abstract new (...args: never[]) => object, name: string): void {
  Object.defineProperty(cls.prototype, BRAND, { value: name });
  Object.defineProperty(cls, Symbol.hasInstance, {
    value: (v: unknown) => typeof v === "object" && v !== null && (v as Record<symbol, unknown>)[BRAND] === name,
  });
}

export function brandDomainError(cls: abstract new (...args: never[]) => Error, name: string): void {
  brandAcrossBundles(cls, name);
}
