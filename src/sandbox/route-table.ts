/**
 * Path templates → a matcher, for both APIs' route tables: `:name` captures one path segment
 * (decoded), everything else is literal; matched case-insensitively, a trailing slash allowed.
 */
export interface RouteShape {
  method: string;
  /** e.g. `/customers/:customerId/orders` or `/servicePrincipals(appId=':appId')/transitiveMemberOf`. */
  path: string;
}

export type RouteMatch<R> = { route: R; params: Record<string, string> } | { methodNotAllowed: true } | undefined;

interface Compiled<R> {
  route: R;
  regex: RegExp;
  keys: string[];
}

function compile<R extends RouteShape>(route: R): Compiled<R> {
  const keys: string[] = [];
  const source = route.path
    .split(/(:\w+)/)
    .map((part) => {
      if (!part.startsWith(":")) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      keys.push(part.slice(1));
      return "([^/]+)";
    })
    .join("");
  return { route, regex: new RegExp(`^${source}/?$`, "i"), keys };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A matcher over the table: the route and its parameters, "method not allowed" when only the path matched, else undefined. */
export function routeTable<R extends RouteShape>(routes: readonly R[]): (method: string, path: string) => RouteMatch<R> {
  const compiled = routes.map(compile);
  return (method, path) => {
    let pathMatched = false;
    for (const c of compiled) {
      const m = c.regex.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (c.route.method !== method) continue;
      return { route: c.route, params: Object.fromEntries(c.keys.map((k, i) => [k, safeDecode(m[i + 1] ?? "")])) };
    }
    return pathMatched ? { methodNotAllowed: true } : undefined;
  };
}
