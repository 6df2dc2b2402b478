/**
 * The sandbox's access tokens: JWT-shaped (so clients and logs treat them like Microsoft's),
 * signed with HMAC-SHA256 under a key made at start, so a token from another sandbox run or an
 * edited claim is refused. Claims: `aud` (the resource), `tid` (the tenant it was issued for),
 * `appid` (the credential's client id), `idtyp` (`app` for client credentials, `user` for the
 * partner user's refresh token), `roles` (an app-only token's consented application permissions,
 * as access-token-claims-reference describes them), `iat`/`nbf`/`exp` in real time (the sandbox's
 * own clock drives deadlines, not token lifetimes).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Graph's resource URI and its well-known app id (both are accepted as `aud` by Graph). */
export const GRAPH_RESOURCE = "https://graph.microsoft.com";
/** Partner Center's resource: the audience of an app-only Partner Center token. */
export const PARTNER_CENTER_RESOURCE = "https://api.partnercenter.microsoft.com";
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

/** Lifetime of an issued token, as Microsoft Entra ID's default (about an hour). */
export const TOKEN_LIFETIME_SEC = 3599;

export interface TokenClaims {
  aud: string;
  tid: string;
  appid: string;
  /** `app`: app-only (client credentials); `user`: app+user (the partner user's refresh token). */
  idtyp: "app" | "user";
  /** App-only tokens: the application permissions consented in the tenant (absent when none). */
  roles?: string[];
  iat: number;
  nbf: number;
  exp: number;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

export class TokenSigner {
  private readonly key = randomBytes(32);

  issue(claims: Omit<TokenClaims, "iat" | "nbf" | "exp">, nowSec = Math.floor(Date.now() / 1000)): { token: string; expiresIn: number } {
    const body = `${b64({ typ: "JWT", alg: "HS256" })}.${b64({ ...claims, iat: nowSec, nbf: nowSec, exp: nowSec + TOKEN_LIFETIME_SEC })}`;
    return { token: `${body}.${this.sign(body)}`, expiresIn: TOKEN_LIFETIME_SEC };
  }

  /** The claims of a token this sandbox signed, or why it is not one (Graph's wording). */
  verify(token: string, nowSec = Math.floor(Date.now() / 1000)): { ok: true; claims: TokenClaims } | { ok: false; reason: string } {
    const parts = token.split(".");
    if (parts.length !== 3) return { ok: false, reason: "IDX14100: JWT is not well formed." };
    const [header = "", payload = "", signature = ""] = parts;
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return { ok: false, reason: "Access token validation failure. Invalid signature." };
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as TokenClaims;
    } catch {
      return { ok: false, reason: "IDX14100: JWT is not well formed." };
    }
    if (typeof claims.exp !== "number" || claims.exp <= nowSec) return { ok: false, reason: "Lifetime validation failed, the token is expired." };
    return { ok: true, claims };
  }

  private sign(body: string): string {
    return createHmac("sha256", this.key).update(body).digest("base64url");
  }
}
