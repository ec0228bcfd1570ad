import { describe, expect, it } from "vitest";
import { loadEnv } from "./env.js";

describe("HOST in lab mode", () => {
  it("refuses to listen beyond loopback unless HKS_LAB_LISTEN_ANYWHERE=true", () => {
    expect(loadEnv({}).HOST).toBe("127.0.0.1");
    expect(loadEnv({ HOST: "::1" }).HOST).toBe("::1");
    expect(() => loadEnv({ HOST: "0.0.0.0" })).toThrow(/HKS_LAB_LISTEN_ANYWHERE=true/);
    expect(loadEnv({ HOST: "0.0.0.0", HKS_LAB_LISTEN_ANYWHERE: "true" }).HOST).toBe("0.0.0.0");
  });

  it("lets a server with real endpoints listen anywhere", () => {
    const real = {
      HOST: "0.0.0.0",
      PROXMOX_URL: "https://pve.example.com:8006",
      PROXMOX_TOKEN_ID: "hks@pve!hks",
      PROXMOX_TOKEN_SECRET: "0b6f5a1e-7e1c-4c55-9d2a-3c3b9f0e2a11",
      HKS_KUBECONFIG_DIR: "/etc/hks/kubeconfigs",
      HKS_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
    };
    expect(loadEnv(real).HOST).toBe("0.0.0.0");
  });
});

describe("HKS_KEY_ENCRYPTION_KEY", () => {
  const real = {
    PROXMOX_URL: "https://pve.example.com:8006",
    PROXMOX_TOKEN_ID: "hks@pve!hks",
    PROXMOX_TOKEN_SECRET: "0b6f5a1e-7e1c-4c55-9d2a-3c3b9f0e2a11",
    HKS_KUBECONFIG_DIR: "/etc/hks/kubeconfigs",
  };

  it("is required with real Proxmox, where the lab cannot generate one, and must be 32 bytes", () => {
    expect(() => loadEnv(real)).toThrow(/HKS_KEY_ENCRYPTION_KEY/);
    expect(() => loadEnv({ ...real, HKS_KEY_ENCRYPTION_KEY: Buffer.alloc(16, 1).toString("base64") })).toThrow(/32 bytes/);
    expect(loadEnv({}).HKS_KEY_ENCRYPTION_KEY).toBeUndefined();
  });
});

describe("the workspace shard settings", () => {
  it("refuse a lease shorter than two heartbeats, which would lapse between renewals", () => {
    expect(loadEnv({}).HKS_SHARD_LEASE_MS).toBe(5000);
    expect(() => loadEnv({ HKS_SHARD_HEARTBEAT_MS: "1000", HKS_SHARD_LEASE_MS: "1500" })).toThrow(/at least twice HKS_SHARD_HEARTBEAT_MS/);
    expect(loadEnv({ HKS_SHARD_HEARTBEAT_MS: "300", HKS_SHARD_LEASE_MS: "2000" }).HKS_SHARD_LEASE_MS).toBe(2000);
  });
});
