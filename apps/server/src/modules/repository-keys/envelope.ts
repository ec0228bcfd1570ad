import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** A secret sealed under a random data key, the data key sealed under the server's key-encryption key. */
export interface Envelope {
  wrappedDataKey: string;
  ciphertext: string;
}

/** Parses HKS_KEY_ENCRYPTION_KEY: 32 bytes, base64. */
export function keyEncryptionKey(base64: string): Buffer {
  const key = Buffer.from(base64, "base64");
  if (key.length !== 32) throw new Error("HKS_KEY_ENCRYPTION_KEY must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)");
  return key;
}

export function seal(kek: Buffer, plaintext: string): Envelope {
  const dataKey = randomBytes(32);
  return { wrappedDataKey: gcmSeal(kek, dataKey), ciphertext: gcmSeal(dataKey, Buffer.from(plaintext, "utf8")) };
}

/** Throws when either layer was altered or sealed under another key-encryption key. */
export function open(kek: Buffer, envelope: Envelope): string {
  const dataKey = gcmOpen(kek, envelope.wrappedDataKey);
  return gcmOpen(dataKey, envelope.ciphertext).toString("utf8");
}

/** iv (12) + tag (16) + ciphertext, base64. */
function gcmSeal(key: Buffer, plaintext: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
}

function gcmOpen(key: Buffer, sealed: string): Buffer {
  const raw = Buffer.from(sealed, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
}
