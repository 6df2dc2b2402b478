/**
 * For tests' own calls to the sandbox's Graph listener: a `fetch` that trusts one extra
 * certificate, the sandbox's (fixtures/sandbox-tls/). Node 20 reads `NODE_EXTRA_CA_CERTS` only at
 * start and its built-in `fetch` takes no CA, so this is undici's own `fetch` with an agent given
 * the certificate (and no other). pcplan itself sends over node:https with a `ca` (src/http/node-send.ts):
 * undici is a development dependency, for this file only.
 */

export function fetchTrusting(caPem: string): typeof fetch {
  let trusted: Promise<typeof fetch> | undefined;
  const load = async (): Promise<typeof fetch> => {
    const { Agent, fetch: undiciFetch } = await import("undici");
    // A bounded pool: every new TLS connection is a handshake, and a burst of hundreds of them costs
    // seconds on a small machine; kept-alive connections are reused instead.
    // Only the sandbox is reached this way: trusting its certificate alone keeps each connection's
    // TLS context small (with Node's 140 root certificates each one took milliseconds to build).
    const dispatcher = new Agent({ connect: { ca: caPem }, connections: 32 });
    return (input: Parameters<typeof fetch>[0], init?: RequestInit) => undiciFetch(input, { ...init, dispatcher });
  };
  return async (input, init) => (await (trusted ??= load()))(input, init);
}
