/** The sandbox: a local Partner Center speaking the real REST protocol (see docs/sandbox.md). */
export { startSandbox } from "./start.js";
export { loadFixture, validateFixture, DEMO_FIXTURE_PATH, DEMO_PRICES_PATH, SANDBOX_SCHEMA_PATH, SANDBOX_TOKENS, SANDBOX_APPS } from "./fixture.js";
export { generateWorld, type GenerateOptions } from "./generate.js";
export { DEPROVISION_AFTER_DAYS } from "./state.js";
export { SANDBOX_CERT_PATH } from "./graph/tls.js";
export type { FaultSettings, RequestLogEntry, Role, SandboxFixture, SandboxHandle, SandboxOptions, SandboxWorld, StateChange } from "./types.js";
