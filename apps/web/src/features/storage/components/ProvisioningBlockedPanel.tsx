export function ProvisioningBlockedPanel({ reason, planName }: { reason: string; planName: string }) {
  return (
    <section className="card blocked-panel" role="region" aria-labelledby="blocked-title" data-testid="provisioning-blocked">
      <h2 id="blocked-title">Storage provisioning is not available for this workspace</h2>
      <p>{reason}</p>
      <p>
        Persistent block storage is part of the <strong>Dedicated Plan</strong>, which gives your workspace dedicated hardware. This
        workspace is on the <strong>{planName}</strong> plan.
      </p>
      <h3>What you can do</h3>
      <ul>
        <li>Upgrade this workspace to a Dedicated Plan; volumes can be created as soon as the upgrade is active.</li>
        <li>
          Contact your account manager or HKS support at <a href="mailto:support@hks.example">support@hks.example</a> to discuss the
          upgrade.
        </li>
      </ul>
    </section>
  );
}
