import type { Viewer } from "../../kernel/viewer.js";
import { ErrorCode, DomainError } from "../../kernel/errors.js";
import { verifyPassword } from "./password.js";
import type { TokenService } from "./tokens.js";
import type { UserRecord, UserRepository } from "./user.repository.js";

export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly tokens: TokenService,
  ) {}

  async login(email: string, password: string): Promise<{ token: string; user: UserRecord }> {
    const user = await this.users.findByEmail(email.trim());
    // One message for unknown user and wrong password: the form must not reveal which accounts exist.
    if (!user?.passwordHash || !(await verifyPassword(password, user.passwordHash))) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, "The email or password is not correct.");
    }
    return { token: await this.tokens.issue(user.id), user };
  }

  /** The viewer a bearer header proves, or null; a present but invalid token is an error, not anonymity. */
  async viewerFromAuthorization(header: string | undefined | null): Promise<Viewer | null> {
    if (!header) return null;
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    const subject = match?.[1] ? await this.tokens.verify(match[1]) : null;
    const user =
      subject?.kind === "user"
        ? await this.users.findById(subject.userId)
        : subject?.kind === "email"
          ? await this.users.findByEmail(subject.email)
          : undefined;
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, "The token is invalid or expired: sign in again.");
    return { userId: user.id, email: user.email, roles: await this.users.roles(user.id) };
  }

  me(viewer: Viewer): Promise<UserRecord | undefined> {
    return this.users.findById(viewer.userId);
  }
}
