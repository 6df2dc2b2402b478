/**
 * A `fetch` that trusts one extra certificate: the in-process sandbox's (fixtures/sandbox-tls/).
 * Node 20 reads `NODE_EXTRA_CA_CERTS` only at start and its built-in `fetch` takes no CA, so an
 * in-process client (`pcplan plan --sandbox`, tests) uses undici's own `fetch` with an agent
 * given the certificate; the default trust store is kept too (`ca` adds to it here by listing
 * Node's root certificates alongside).
 */
import { rootCertificates } from "node:tls";
import { Agent, fetch as undiciFetch } from "undici";

export function fetchTrusting(caPem: string): typeof fetch {
  const dispatcher = new Agent({ connect: { ca: [...rootCertificates, caPem] } });
  const trusted = (input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input, { ...(init), dispatcher });
  return trusted;
}
