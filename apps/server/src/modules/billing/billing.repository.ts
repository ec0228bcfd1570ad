import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { billingLedger } from "../../db/schema/index.js";

export type LedgerEntry = typeof billingLedger.$inferInsert;

/** The billing ledger of one workspace; scoped by construction. */
export class BillingRepository {
  constructor(
    private readonly db: Database,
    private readonly workspaceId: string,
  ) {}

  /** Records an entry once per operation: a replayed saga step finds its entry and adds nothing. */
  async record(entry: Omit<LedgerEntry, "workspaceId">, db: Database = this.db): Promise<void> {
    await db
      .insert(billingLedger)
      .values({ ...entry, workspaceId: this.workspaceId })
      .onConflictDoNothing({ target: billingLedger.operationId });
  }

  async monthlyCents(): Promise<number> {
    const [row] = await this.db
      .select({ total: sql<string>`coalesce(sum(${billingLedger.monthlyCentsDelta}), 0)` })
      .from(billingLedger)
      .where(eq(billingLedger.workspaceId, this.workspaceId));
    return Number(row?.total ?? 0);
  }
}
