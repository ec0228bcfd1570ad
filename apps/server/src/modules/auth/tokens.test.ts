import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenService } from "./tokens.js";

// A real OIDC issuer's JWKS endpoint, served on loopback, signing with a real RSA key.
let server: http.Server;
let issuer: string;
let privateKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  privateKey = pair.privateKey as CryptoKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  server = http.createServer((req, res) => {
    if (req.url === "/.well-known/jwks.json")
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const oidcToken = (claims: Record<string, unknown>, options: { issuer?: string; audience?: string; expires?: string } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer(options.issuer ?? issuer)
    .setAudience(options.audience ?? "hks")
    .setIssuedAt()
    .setExpirationTime(options.expires ?? "5m")
    .sign(privateKey);

describe("bearer tokens", () => {
  it("accepts its own lab tokens and refuses tampered ones", async () => {
    const tokens = new TokenService({ secret: "x".repeat(40) });
    const token = await tokens.issue("user-1");
    expect(await tokens.verify(token)).toEqual({ kind: "user", userId: "user-1" });
    // change one whole character of the signature (its last one also holds padding bits a decoder may ignore)
    const at = token.lastIndexOf(".") + 5;
    const tampered = token.slice(0, at) + (token[at] === "A" ? "B" : "A") + token.slice(at + 1);
    expect(await tokens.verify(tampered)).toBeNull();
    expect(await new TokenService({ secret: "y".repeat(40) }).verify(token)).toBeNull();
  });

  it("accepts an OIDC token from the configured issuer and audience, matched by email", async () => {
    const tokens = new TokenService({ secret: "x".repeat(40), oidc: { issuer, audience: "hks" } });
    expect(await tokens.verify(await oidcToken({ email: "Admin@Acme.test" }))).toEqual({ kind: "email", email: "admin@acme.test" });
  });

  it("refuses OIDC tokens from another issuer, for another audience, expired, or without an email", async () => {
    const tokens = new TokenService({ secret: "x".repeat(40), oidc: { issuer, audience: "hks" } });
    expect(await tokens.verify(await oidcToken({ email: "a@b.c" }, { issuer: "https://evil.example" }))).toBeNull();
    expect(await tokens.verify(await oidcToken({ email: "a@b.c" }, { audience: "other" }))).toBeNull();
    expect(await tokens.verify(await oidcToken({ email: "a@b.c" }, { expires: "-1m" }))).toBeNull();
    expect(await tokens.verify(await oidcToken({ sub: "no-email" }))).toBeNull();
    // Without OIDC configured, such tokens prove nothing.
    expect(await new TokenService({ secret: "x".repeat(40) }).verify(await oidcToken({ email: "a@b.c" }))).toBeNull();
  });
});
