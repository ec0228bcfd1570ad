import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import { UsageBar } from "../../../components/ui/UsageBar";
import { formatMoney } from "../utils/money";
import { formatGiB, formatGiBExact } from "../utils/size";

export const StorageSummaryCards_WorkspaceFragment = graphql(`
  fragment StorageSummaryCards_WorkspaceFragment on Workspace {
    id
    plan {
      id
      name
      dedicated
      storageCeilingGiB
      pricePerGiBMonth
      currency
    }
    storageSummary {
      provisionedGiB
      planLimitGiB
      availableGiB
      monthlyCost
      currency
    }
  }
`);

export function StorageSummaryCards({ workspace }: { workspace: FragmentType<typeof StorageSummaryCards_WorkspaceFragment> }) {
  const { plan, storageSummary: s } = useFragment(StorageSummaryCards_WorkspaceFragment, workspace);
  return (
    <section className="summary-cards" aria-labelledby="storage-summary-title">
      {/* The cards' h3s sit under this h2, not straight under the page's h1. */}
      <h2 id="storage-summary-title" className="visually-hidden">
        Storage summary
      </h2>
      <div className="card summary-card" data-testid="summary-provisioned">
        <h3>Provisioned</h3>
        <p className="big-number">
          {formatGiBExact(s.provisionedGiB)} <span className="muted small">of {formatGiB(s.planLimitGiB)}</span>
        </p>
        <UsageBar
          label="Provisioned storage of plan ceiling"
          value={s.provisionedGiB}
          max={s.planLimitGiB}
          valueText={`${formatGiBExact(s.provisionedGiB)} of ${formatGiB(s.planLimitGiB)}`}
        />
      </div>
      <div className="card summary-card" data-testid="summary-available">
        <h3>Available</h3>
        <p className="big-number">{formatGiBExact(s.availableGiB)}</p>
        <p className="muted small">left under the plan ceiling</p>
      </div>
      <div className="card summary-card" data-testid="summary-cost">
        <h3>Monthly cost</h3>
        <p className="big-number">{formatMoney(s.monthlyCost, s.currency)}</p>
        <p className="muted small">
          {formatMoney(plan.pricePerGiBMonth, plan.currency)} per GiB per month ({s.currency})
        </p>
      </div>
      <div className="card summary-card" data-testid="summary-plan">
        <h3>Plan</h3>
        <p className="big-number plan-name">{plan.name}</p>
        <p className="small">
          {plan.dedicated ? (
            <span className="badge status-available">Dedicated</span>
          ) : (
            <span className="badge status-neutral">Not dedicated</span>
          )}{" "}
          <span className="muted">ceiling {formatGiB(plan.storageCeilingGiB)}</span>
        </p>
      </div>
    </section>
  );
}
