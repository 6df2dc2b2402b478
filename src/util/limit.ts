/** Something that runs a call when it may (a p-limit, or a function that runs it at once). */
export type Limit = <T>(f: () => Promise<T>) => Promise<T>;

/** No bound: the call runs at once (the client bounds what is on the wire). */
export const unbounded: Limit = (f) => f();
