import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

const TICKET_LIFETIME_S = 2 * 60 * 60;
// PVE accepts tickets minted slightly in the future to tolerate clock skew between cluster nodes.
const CLOCK_SKEW_S = 300;

export type AuthResult = { ok: true; user: string; viaTicket: boolean } | { ok: false; reason: string };

const hex8 = (n: number): string => n.toString(16).toUpperCase().padStart(8, "0");

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * API tokens and PVE tickets. Tickets are signed with a per-process key (real PVE uses an RSA key
 * shared by the cluster); a lab restart therefore invalidates tickets, which a client must survive anyway.
 */
export class Auth {
  private readonly key = randomBytes(32);

  constructor(
    readonly tokenId: string,
    readonly tokenSecret: string,
    private readonly passwords: ReadonlyMap<string, string>,
  ) {}

  private sign(text: string): string {
    return createHmac("sha256", this.key).update(text).digest("base64");
  }

  checkPassword(username: string, password: string): boolean {
    const expected = this.passwords.get(username);
    return expected !== undefined && safeEqual(expected, password);
  }

  issue(user: string): { ticket: string; csrf: string } {
    const time = hex8(Math.floor(Date.now() / 1000));
    const plain = `PVE:${user}:${time}`;
    return { ticket: `${plain}::${this.sign(plain)}`, csrf: `${time}:${this.sign(`csrf:${user}:${time}`)}` };
  }

  private fresh(timeHex: string): boolean {
    const age = Math.floor(Date.now() / 1000) - parseInt(timeHex, 16);
    return age >= -CLOCK_SKEW_S && age <= TICKET_LIFETIME_S;
  }

  /** The user a ticket was issued to, when it is authentic and unexpired. */
  verifyTicket(ticket: string): string | undefined {
    const m = /^(PVE:([^:\s]+@[^:\s]+):([0-9A-F]{8}))::(.+)$/.exec(ticket);
    if (!m || !m[1] || !m[2] || !m[3] || !m[4]) return undefined;
    if (!safeEqual(this.sign(m[1]), m[4]) || !this.fresh(m[3])) return undefined;
    return m[2];
  }

  verifyCsrf(user: string, token: string): boolean {
    const m = /^([0-9A-F]{8}):(.+)$/.exec(token);
    if (!m || !m[1] || !m[2]) return false;
    return safeEqual(this.sign(`csrf:${user}:${m[1]}`), m[2]) && this.fresh(m[1]);
  }

  authenticate(req: IncomingMessage): AuthResult {
    const header = req.headers.authorization;
    if (header) {
      // PVE accepts both `=` and the older `:` between token id and secret.
      const m = /^PVEAPIToken=(\S+?![^=:\s]+)[=:](\S+)$/.exec(header.trim());
      if (m && m[1] === this.tokenId && m[2] !== undefined && safeEqual(m[2], this.tokenSecret))
        return { ok: true, user: this.tokenId, viaTicket: false };
      return { ok: false, reason: "Authentication failed!" };
    }
    const ticket = cookieValue(req.headers.cookie, "PVEAuthCookie");
    if (!ticket) return { ok: false, reason: "No ticket" };
    const user = this.verifyTicket(ticket);
    // This exact reason makes the proxmox-api client drop its ticket and log in again.
    if (!user) return { ok: false, reason: "permission denied - invalid PVE ticket" };
    if (req.method !== "GET" && req.method !== "HEAD") {
      const csrf = req.headers.csrfpreventiontoken;
      if (typeof csrf !== "string" || !this.verifyCsrf(user, csrf)) return { ok: false, reason: "Permission denied - invalid csrf token" };
    }
    return { ok: true, user, viaTicket: true };
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}
