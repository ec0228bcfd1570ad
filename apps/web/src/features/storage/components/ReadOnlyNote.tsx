export function ReadOnlyNote() {
  return (
    <p className="alert alert-info" data-testid="read-only-note">
      Only Workspace Admins can change storage. You can view volumes, costs and quotas.
    </p>
  );
}
