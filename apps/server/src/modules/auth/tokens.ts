import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload } from "jose";

const LAB_ISSUER = "hks-lab";

export interface TokenConfig {
  /** HS256 secret for tokens this server issues at lab sign-in. */
  secret: string;
  oidc?: { issuer: string; audience?: string; jwksUrl?: string };
}

export type TokenSubject = { kind: "user"; userId: string } | { kind: "email"; email: string };

/**
 * Issues lab tokens and verifies bearer tokens: lab tokens by our own secret, anything else as an
 * OIDC JWT against the configured issuer's JWKS. Returns null for a token that proves nothing.
 */
export class TokenService {
  private readonly key: Uint8Array;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly config: TokenConfig) {
    this.key = new TextEncoder().encode(config.secret);
    if (config.oidc) {
      const url = config.oidc.jwksUrl ?? `${config.oidc.issuer.replace(/\/$/, "")}/.well-known/jwks.json`;
      this.jwks = createRemoteJWKSet(new URL(url));
    }
  }

  issue(userId: string): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(LAB_ISSUER)
      .setSubject(userId)
      .setIssuedAt()
      .setExpirationTime("12h")
      .sign(this.key);
  }

  async verify(token: string): Promise<TokenSubject | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: LAB_ISSUER, algorithms: ["HS256"] });
      if (payload.sub) return { kind: "user", userId: payload.sub };
    } catch {
      // not one of ours: it may still be an OIDC token
    }
    if (!this.jwks || !this.config.oidc) return null;
    try {
      const { payload } = await jwtVerify(token, this.jwks, {
        issuer: this.config.oidc.issuer,
        audience: this.config.oidc.audience,
      });
      const email = emailOf(payload);
      return email ? { kind: "email", email } : null;
    } catch {
      return null;
    }
  }
}

const emailOf = (payload: JWTPayload): string | undefined =>
  typeof payload["email"] === "string" ? payload["email"].toLowerCase() : undefined;
