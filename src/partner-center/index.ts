export type { PartnerCenterApi, WriteOptions } from "./api.js";
export type * from "./types.js";
export { createPartnerCenterClient, DEFAULT_ENDPOINT, type ClientOptions, type PartnerCenterClient } from "./client.js";
export type { ClientEvent, ClientStats } from "./events.js";
export type { TokenProvider } from "./transport.js";
export * from "./errors.js";
export * from "./commerce-errors.js";
export { provisioningIdResolver, isCatalogItemId } from "./catalog-item-sku.js";
export { transitionState, normalizeStatus, type TransitionState } from "./transition-wire.js";
export {
  tokenProviderFromEnv,
  resolveCredentialSource,
  APP_ONLY_SCOPE,
  APP_USER_SCOPE,
  CREDENTIAL_ENV_VARS,
  type CredentialSource,
} from "./auth.js";
export { redactSecrets, registerSecret } from "./redact.js";
export { normId, sameId, isGuid } from "./ids.js";
export { parsePcDate } from "./dates.js";
export { validatedApi } from "./validated-api.js";
export { InvalidResponseError } from "./invalid-response-error.js";
export { MAX_BODY_BYTES } from "./http.js";
export { MAX_COLLECTION_CHARS, MAX_COLLECTION_ITEMS, MAX_EMPTY_PAGES } from "./paging.js";
export { LONG_WAIT_MS, MAX_WAIT_MS } from "./transport.js";
export { redactUrl } from "./redact.js";
