/** The fixed self-signed certificate the sandbox serves HTTPS with (fixtures/sandbox-tls/README.md). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Resolved from this module, so it works from src/ (tsx, vitest) and from dist/. */
export const SANDBOX_CERT_PATH: string = fileURLToPath(new URL("../../../fixtures/sandbox-tls/cert.pem", import.meta.url));
const SANDBOX_KEY_PATH: string = fileURLToPath(new URL("../../../fixtures/sandbox-tls/key.pem", import.meta.url));

let loaded: { cert: string; key: string } | undefined;

export function sandboxTls(): { cert: string; key: string } {
  loaded ??= { cert: readFileSync(SANDBOX_CERT_PATH, "utf8"), key: readFileSync(SANDBOX_KEY_PATH, "utf8") };
  return loaded;
}
