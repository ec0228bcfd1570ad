import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keyEncryptionKey, open, seal } from "./envelope.js";

describe("envelope encryption of a repository key", () => {
  const kek = randomBytes(32);

  it("opens what it sealed, and the sealed form holds neither the key nor the data key in clear", () => {
    const envelope = seal(kek, "the-repository-password");
    expect(open(kek, envelope)).toBe("the-repository-password");
    expect(JSON.stringify(envelope)).not.toContain("the-repository-password");
    // A fresh data key each time: the same password never seals the same way twice.
    expect(seal(kek, "the-repository-password").ciphertext).not.toBe(envelope.ciphertext);
  });

  it("refuses another key-encryption key and an altered envelope", () => {
    const envelope = seal(kek, "secret");
    expect(() => open(randomBytes(32), envelope)).toThrow();
    const raw = Buffer.from(envelope.ciphertext, "base64");
    raw.writeUInt8(raw.readUInt8(raw.length - 1) ^ 1, raw.length - 1);
    expect(() => open(kek, { ...envelope, ciphertext: raw.toString("base64") })).toThrow();
  });

  it("takes only a 32-byte base64 key-encryption key", () => {
    expect(keyEncryptionKey(randomBytes(32).toString("base64")).length).toBe(32);
    expect(() => keyEncryptionKey(randomBytes(16).toString("base64"))).toThrow(/32 bytes/);
  });
});
