import { createHash } from "node:crypto";

/**
 * Each pod's own IP address, as a CNI would give it. The lab's pods share this machine's network namespace, but every
 * 127.x.y.z address routes to the loopback interface on Linux (no privileges needed), so a pod that listens on its own
 * address is reached there by the others, and a port it picks never collides with a process on 127.0.0.1. Derived from
 * the pod's uid: stable across lab restarts, one per pod. 127.0.0.0/16 stays free for the machine's own services.
 */
export function podIP(uid: string): string {
  const h = createHash("sha256").update(uid).digest();
  // second octet 1..254, last octet 1..254: never a network or broadcast-looking address, never 127.0.x.x
  return `127.${1 + (h[0]! % 254)}.${h[1]!}.${1 + (h[2]! % 254)}`;
}

/** The node's address as pods see it (status.hostIP): the machine itself. */
export const HOST_IP = "127.0.0.1";
