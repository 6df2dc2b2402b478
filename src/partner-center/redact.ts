/**
 * Redaction lives in the HTTP layer (src/http/redact.ts); re-exported here for the modules that
 * import it from the Partner Center client. What is Partner Center's own: its endpoint, checked
 * before any request.
 */
import { PcplanError } from "../errors.js";
import { redact } from "../http/redact.js";

export { REDACTED, redact, redactSecrets, redactUrl, registerSecret, sanitizeError } from "../http/redact.js";

/**
 * A Partner Center endpoint as given (`--endpoint`, `PARTNER_CENTER_ENDPOINT`), checked before
 * any request: an absolute http(s) URL without a user or password in it. Credentials go in
 * the environment (PARTNER_CENTER_TOKEN…), never in the URL, where they would be printed with
 * it and sent to every host it names; fetch refuses such URLs anyway. The error shows the URL
 * with its credentials replaced.
 */
export function checkEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new PcplanError(
      "PC_ENDPOINT",
      `The Partner Center endpoint "${redact(endpoint)}" is not a URL (expected e.g. https://api.partnercenter.microsoft.com/v1).`,
      true,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new PcplanError("PC_ENDPOINT", `The Partner Center endpoint "${redact(endpoint)}" is not an http(s) URL.`, true);
  }
  if (url.username || url.password) {
    throw new PcplanError(
      "PC_ENDPOINT",
      `The Partner Center endpoint "${redact(endpoint)}" carries a user name or password; pcplan does not send credentials in a URL. ` +
        "Remove them and supply a token with PARTNER_CENTER_TOKEN, or app credentials with AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET.",
      true,
    );
  }
  return endpoint;
}
