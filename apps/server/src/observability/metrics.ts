import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

export type OperationType = "query" | "mutation" | "subscription" | "unknown";
export type Outcome = "ok" | "error";
export type SagaKind = "CREATE" | "EXPAND" | "DELETE";
/**
 * succeeded: the operation completed. rolled_back: a step failed and every step taken was undone.
 * failed: this run stopped on an error it could neither undo nor get past yet (past the point of no
 * return, a rollback step failing, a crash); the journal keeps it open and the sweeper runs it again.
 */
export type SagaOutcome = "succeeded" | "rolled_back" | "failed";
export type AgentName = "storage_worker" | "orchestration" | "user_chat" | "backup_reconciler" | "backup_run_tracker";

/** Runs one agent cycle and records it; what the agents are given instead of the registry. */
export type CycleObserver = <T>(cycle: () => Promise<T>) => Promise<T>;
export type SagaOutcomeRecorder = (kind: SagaKind, outcome: SagaOutcome) => void;

/** Label values for operations outside the capped set of names; not valid GraphQL names, so no operation can collide with them. */
export const ANONYMOUS_OPERATION = "(anonymous)";
export const OTHER_OPERATION = "(other)";
export const INVALID_OPERATION = "(invalid)";

/** How many distinct operation names get a series of their own (the dashboard uses a few dozen). */
export const OPERATION_NAME_LIMIT = 100;

/**
 * The server's own Prometheus metrics. One registry per server instance (not prom-client's global
 * one), so several servers in one process (the tests) each count only their own work.
 * Everything here is per operation or per cycle, never per field: the hot list path pays one
 * histogram observation per request.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly requestDuration = new Histogram({
    name: "hks_graphql_request_duration_seconds",
    help: "GraphQL operations over HTTP, from request to response, by operation name and type and outcome.",
    labelNames: ["operation", "type", "outcome"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly sagaOutcomes = new Counter({
    name: "hks_volume_saga_outcomes_total",
    help: "Volume saga runs by kind and how they ended (succeeded, rolled_back, or failed and left for the sweeper to retry).",
    labelNames: ["kind", "outcome"] as const,
    registers: [this.registry],
  });
  readonly agentCycles = new Counter({
    name: "hks_agent_cycles_total",
    help: "Background agent cycles by agent and outcome.",
    labelNames: ["agent", "outcome"] as const,
    registers: [this.registry],
  });
  readonly agentCycleDuration = new Histogram({
    name: "hks_agent_cycle_duration_seconds",
    help: "How long one background agent cycle took.",
    labelNames: ["agent"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly subscriptionsOpen = new Gauge({
    name: "hks_graphql_subscriptions_open",
    help: "GraphQL subscriptions currently open on this instance.",
    registers: [this.registry],
  });
  readonly workspacesOwned = new Gauge({
    name: "hks_workspaces_owned",
    help: "Workspaces whose background work (run tracking, reconciliation, monitoring, agents) this replica runs, under a lease.",
    registers: [this.registry],
  });
  readonly replicasLive = new Gauge({
    name: "hks_replicas_live",
    help: "Replicas with a fresh heartbeat, as this replica last saw them (the workspaces are divided among these).",
    registers: [this.registry],
  });
  readonly workspaceOwnershipChanges = new Counter({
    name: "hks_workspace_ownership_changes_total",
    help: "Workspace leases this replica acquired, released (moved to another replica) or lost (lapsed or taken over).",
    labelNames: ["change"] as const,
    registers: [this.registry],
  });
  private readonly operationNames = new Set<string>();

  constructor(options: { processMetrics?: boolean } = {}) {
    // Pre-create the saga series so a dashboard shows zeros, not gaps, before the first volume operation.
    for (const kind of ["CREATE", "EXPAND", "DELETE"] as const) {
      for (const outcome of ["succeeded", "rolled_back", "failed"] as const) this.sagaOutcomes.inc({ kind, outcome }, 0);
    }
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /**
   * The label for an operation name. Names are chosen by clients, so only the first
   * OPERATION_NAME_LIMIT distinct names of operations that validated get a series each; the rest
   * share one, and so do anonymous operations and documents that did not parse or validate.
   */
  operationLabel(name: string | null | undefined, validated: boolean): string {
    if (!validated) return INVALID_OPERATION;
    if (!name) return ANONYMOUS_OPERATION;
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= OPERATION_NAME_LIMIT) return OTHER_OPERATION;
    this.operationNames.add(name);
    return name;
  }

  observeRequest(operation: string, type: OperationType, outcome: Outcome, seconds: number): void {
    this.requestDuration.observe({ operation, type, outcome }, seconds);
  }

  readonly recordSagaOutcome: SagaOutcomeRecorder = (kind, outcome) => this.sagaOutcomes.inc({ kind, outcome });

  /** Also for a lean subscription server that counts its own: the gauge is set, not derived. */
  setSubscriptionsOpen(n: number): void {
    this.subscriptionsOpen.set(n);
  }

  cycleObserver(agent: AgentName): CycleObserver {
    return async (cycle) => {
      const end = this.agentCycleDuration.startTimer({ agent });
      try {
        const result = await cycle();
        this.agentCycles.inc({ agent, outcome: "ok" });
        return result;
      } catch (error) {
        this.agentCycles.inc({ agent, outcome: "error" });
        throw error;
      } finally {
        end();
      }
    };
  }

  /** The text exposition format Prometheus scrapes. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** For agents built without metrics (unit tests): runs the cycle as is. */
export const unobserved: CycleObserver = (cycle) => cycle();
