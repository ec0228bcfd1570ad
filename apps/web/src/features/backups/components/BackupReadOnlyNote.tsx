export function BackupReadOnlyNote() {
  return (
    <p className="alert alert-info" data-testid="read-only-note">
      Only Workspace Admins can change backups, run them, restore or verify. You can view backups, runs and logs.
    </p>
  );
}
