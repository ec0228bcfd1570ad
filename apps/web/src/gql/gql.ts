/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment ApplicationClaimsList_ApplicationFragment on Application {\n    id\n    namespace\n    claims {\n      name\n      storageClassName\n      capacityGiB\n      phase\n      coveredByBackup\n      dismissed\n      restoredFrom\n      isStorageVolume\n    }\n  }\n": typeof types.ApplicationClaimsList_ApplicationFragmentFragmentDoc,
    "\n  fragment ApplicationsTable_ApplicationFragment on Application {\n    id\n    name\n    namespace\n    backups {\n      id\n    }\n    claims {\n      name\n      coveredByBackup\n      dismissed\n      restoredFrom\n      isStorageVolume\n    }\n  }\n": typeof types.ApplicationsTable_ApplicationFragmentFragmentDoc,
    "\n  fragment AssistantMessageBubble_AssistantMessageFragment on AssistantMessage {\n    id\n    author\n    text\n    createdAt\n    proposal {\n      ...ProposalActions_ExpansionProposalFragment\n    }\n  }\n": typeof types.AssistantMessageBubble_AssistantMessageFragmentFragmentDoc,
    "\n  fragment ProposalActions_ExpansionProposalFragment on ExpansionProposal {\n    volumeId\n    volumeName\n    fromSizeGiB\n    suggestedSizeGiB\n    state\n    sizeGiB\n  }\n": typeof types.ProposalActions_ExpansionProposalFragmentFragmentDoc,
    "\n  query AssistantConversation($workspaceId: ID!) {\n    assistantConversation(workspaceId: $workspaceId, last: 50) {\n      id\n      author\n      ...AssistantMessageBubble_AssistantMessageFragment\n    }\n  }\n": typeof types.AssistantConversationDocument,
    "\n  subscription AssistantMessageAdded($workspaceId: ID!) {\n    assistantMessageAdded(workspaceId: $workspaceId) {\n      id\n      author\n      ...AssistantMessageBubble_AssistantMessageFragment\n    }\n  }\n": typeof types.AssistantMessageAddedDocument,
    "\n  query AssistantEventLog($workspaceId: ID!) {\n    assistantEventLog(workspaceId: $workspaceId) {\n      id\n      createdAt\n      fromAgent\n      toAgent\n      kind\n      outcome\n      handledAt\n      summary\n    }\n  }\n": typeof types.AssistantEventLogDocument,
    "\n  mutation ReplyToAssistant($input: ReplyToAssistantInput!) {\n    replyToAssistant(input: $input) {\n      id\n      author\n      ...AssistantMessageBubble_AssistantMessageFragment\n    }\n  }\n": typeof types.ReplyToAssistantDocument,
    "\n  query AssistantUnreadCount($workspaceId: ID!) {\n    assistantUnreadCount(workspaceId: $workspaceId)\n  }\n": typeof types.AssistantUnreadCountDocument,
    "\n  mutation MarkAssistantRead($workspaceId: ID!, $messageId: ID!) {\n    markAssistantRead(workspaceId: $workspaceId, messageId: $messageId)\n  }\n": typeof types.MarkAssistantReadDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  fragment BackupFormDialog_BackupFragment on Backup {\n    id\n    name\n    schedule\n    timeZone\n    concurrencyPolicy\n    verifyAfterRun\n    format\n    source {\n      pvcName\n    }\n    destination {\n      volumeId\n      path\n    }\n    function {\n      kind\n      compression\n      image\n      script\n      database {\n        host\n        port\n        name\n        user\n        passwordSecretName\n        passwordSecretKey\n      }\n    }\n    retention {\n      keepLast\n      keepDaily\n      keepWeekly\n      keepMonthly\n    }\n  }\n": typeof types.BackupFormDialog_BackupFragmentFragmentDoc,
    "\n  fragment BackupSection_WorkspaceFragment on Workspace {\n    id\n    viewerRole\n    plan {\n      id\n      name\n      dedicated\n    }\n    storageVolumes {\n      id\n      name\n      status\n      sizeGiB\n      storageClassName\n    }\n  }\n": typeof types.BackupSection_WorkspaceFragmentFragmentDoc,
    "\n  fragment BackupSection_ApplicationFragment on Application {\n    id\n    name\n    namespace\n    claims {\n      name\n      storageClassName\n      capacityGiB\n      phase\n      isStorageVolume\n      coveredByBackup\n      dismissed\n      restoredFrom\n    }\n    backups {\n      id\n      name\n      ...BackupsTable_BackupFragment\n      ...BackupFormDialog_BackupFragment\n    }\n  }\n": typeof types.BackupSection_ApplicationFragmentFragmentDoc,
    "\n  fragment BackupsTable_BackupFragment on Backup {\n    id\n    applicationId\n    name\n    schedule\n    timeZone\n    scheduleDescription\n    nextRunAt\n    suspended\n    reconcileError\n    cronJobName\n    source {\n      pvcName\n    }\n    function {\n      kind\n    }\n    destination {\n      volumeId\n      path\n      volume {\n        id\n        name\n      }\n    }\n    lastRun {\n      id\n      status\n      failureReason\n      message\n      bytesWritten\n      scheduledAt\n      startedAt\n      finishedAt\n    }\n  }\n": typeof types.BackupsTable_BackupFragmentFragmentDoc,
    "\n  fragment PrunePreview_BackupFragment on Backup {\n    id\n    prunePreview {\n      id\n      snapshot\n      finishedAt\n    }\n  }\n": typeof types.PrunePreview_BackupFragmentFragmentDoc,
    "\n  fragment RunsTable_BackupRunFragment on BackupRun {\n    id\n    backupId\n    kind\n    trigger\n    status\n    failureReason\n    message\n    jobName\n    scheduledAt\n    startedAt\n    finishedAt\n    durationSeconds\n    bytesWritten\n    files\n    restic {\n      bytesRead\n      bytesAdded\n      filesNew\n      filesChanged\n      filesUnmodified\n    }\n    snapshot\n    prunedAt\n    verifyState\n    verifications {\n      id\n      status\n      message\n      finishedAt\n      createdAt\n    }\n    sourceRunId\n    restoreTarget\n  }\n": typeof types.RunsTable_BackupRunFragmentFragmentDoc,
    "\n  mutation CreateBackup($input: CreateBackupInput!) {\n    createBackup(input: $input) {\n      id\n      applicationId\n      ...BackupsTable_BackupFragment\n      ...BackupFormDialog_BackupFragment\n    }\n  }\n": typeof types.CreateBackupDocument,
    "\n  mutation UpdateBackup($input: UpdateBackupInput!) {\n    updateBackup(input: $input) {\n      id\n      applicationId\n      ...BackupsTable_BackupFragment\n      ...BackupFormDialog_BackupFragment\n      ...PrunePreview_BackupFragment\n    }\n  }\n": typeof types.UpdateBackupDocument,
    "\n  mutation DeleteBackup($id: ID!) {\n    deleteBackup(id: $id) {\n      id\n      applicationId\n    }\n  }\n": typeof types.DeleteBackupDocument,
    "\n  mutation SuspendBackup($id: ID!) {\n    suspendBackup(id: $id) {\n      id\n      ...BackupsTable_BackupFragment\n    }\n  }\n": typeof types.SuspendBackupDocument,
    "\n  mutation ResumeBackup($id: ID!) {\n    resumeBackup(id: $id) {\n      id\n      ...BackupsTable_BackupFragment\n    }\n  }\n": typeof types.ResumeBackupDocument,
    "\n  mutation RunBackupNow($id: ID!) {\n    runBackupNow(id: $id) {\n      id\n      backupId\n      kind\n      status\n      scheduledAt\n      ...RunsTable_BackupRunFragment\n    }\n  }\n": typeof types.RunBackupNowDocument,
    "\n  mutation RestoreBackupRun($input: RestoreBackupRunInput!) {\n    restoreBackupRun(input: $input) {\n      id\n      backupId\n      kind\n      status\n      scheduledAt\n      ...RunsTable_BackupRunFragment\n    }\n  }\n": typeof types.RestoreBackupRunDocument,
    "\n  mutation VerifyBackupRun($runId: ID!) {\n    verifyBackupRun(runId: $runId) {\n      id\n      backupId\n      kind\n      status\n      scheduledAt\n      ...RunsTable_BackupRunFragment\n    }\n  }\n": typeof types.VerifyBackupRunDocument,
    "\n  mutation DismissUncoveredClaim($applicationId: ID!, $claimName: String!) {\n    dismissUncoveredClaim(applicationId: $applicationId, claimName: $claimName) {\n      id\n    }\n  }\n": typeof types.DismissUncoveredClaimDocument,
    "\n  query BackupRunsPanel($backupId: ID!, $first: Int!, $before: DateTimeISO) {\n    backup(id: $backupId) {\n      id\n      runs(first: $first, before: $before) {\n        nodes {\n          id\n          ...RunsTable_BackupRunFragment\n        }\n        totalCount\n        nextBefore\n      }\n      ...PrunePreview_BackupFragment\n    }\n  }\n": typeof types.BackupRunsPanelDocument,
    "\n  query BackupRefresh($backupId: ID!) {\n    backup(id: $backupId) {\n      id\n      ...BackupsTable_BackupFragment\n      ...PrunePreview_BackupFragment\n      runs(first: 20) {\n        nodes {\n          id\n          ...RunsTable_BackupRunFragment\n        }\n        totalCount\n        nextBefore\n      }\n    }\n  }\n": typeof types.BackupRefreshDocument,
    "\n  query BackupRunLogs($runId: ID!) {\n    backupRun(id: $runId) {\n      id\n      status\n      logs\n    }\n  }\n": typeof types.BackupRunLogsDocument,
    "\n  query SchedulePreview($schedule: String!, $timeZone: String!) {\n    schedulePreview(schedule: $schedule, timeZone: $timeZone) {\n      valid\n      error\n      field\n      description\n      nextRuns\n    }\n  }\n": typeof types.SchedulePreviewDocument,
    "\n  subscription BackupRunChanged($applicationId: ID!) {\n    backupRunChanged(applicationId: $applicationId) {\n      id\n      backupId\n      kind\n      status\n      scheduledAt\n      ...RunsTable_BackupRunFragment\n    }\n  }\n": typeof types.BackupRunChangedDocument,
    "\n  fragment NamespaceQuotaRow_NamespaceQuotaFragment on NamespaceQuota {\n    namespace\n    configured\n    requestsStorageGiB\n    usedStorageGiB\n    maxPersistentVolumeClaims\n    usedPersistentVolumeClaims\n    storageClassLimits {\n      storageClassName\n      requestsStorageGiB\n      usedStorageGiB\n      maxPersistentVolumeClaims\n      usedPersistentVolumeClaims\n    }\n  }\n": typeof types.NamespaceQuotaRow_NamespaceQuotaFragmentFragmentDoc,
    "\n  fragment NamespaceQuotasPanel_WorkspaceFragment on Workspace {\n    id\n    namespaceQuotas {\n      namespace\n      ...NamespaceQuotaRow_NamespaceQuotaFragment\n    }\n  }\n": typeof types.NamespaceQuotasPanel_WorkspaceFragmentFragmentDoc,
    "\n  mutation SetNamespaceQuota($input: SetNamespaceQuotaInput!) {\n    setNamespaceQuota(input: $input) {\n      namespace\n      ...NamespaceQuotaRow_NamespaceQuotaFragment\n    }\n  }\n": typeof types.SetNamespaceQuotaDocument,
    "\n  query RepositoryKey($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      slug\n      repositoryKeyExports {\n        id\n        userEmail\n        createdAt\n      }\n    }\n  }\n": typeof types.RepositoryKeyDocument,
    "\n  mutation ExportRepositoryKey($workspaceId: ID!, $confirm: String!) {\n    exportRepositoryKey(workspaceId: $workspaceId, confirm: $confirm)\n  }\n": typeof types.ExportRepositoryKeyDocument,
    "\n  fragment LabNote_PlatformFragment on Platform {\n    lab\n    note\n  }\n": typeof types.LabNote_PlatformFragmentFragmentDoc,
    "\n  fragment UserMenu_UserFragment on User {\n    id\n    email\n    name\n    memberships {\n      role\n      workspace {\n        id\n      }\n    }\n  }\n": typeof types.UserMenu_UserFragmentFragmentDoc,
    "\n  fragment WorkspaceSwitcher_UserFragment on User {\n    memberships {\n      role\n      workspace {\n        id\n        name\n        slug\n      }\n    }\n  }\n": typeof types.WorkspaceSwitcher_UserFragmentFragmentDoc,
    "\n  query Shell {\n    me {\n      id\n      ...WorkspaceSwitcher_UserFragment\n      ...UserMenu_UserFragment\n      memberships {\n        role\n        workspace {\n          id\n        }\n      }\n    }\n    platform {\n      ...LabNote_PlatformFragment\n    }\n  }\n": typeof types.ShellDocument,
    "\n  query QuotaStorageClasses($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolumes {\n        id\n        storageClassName\n      }\n    }\n  }\n": typeof types.QuotaStorageClassesDocument,
    "\n  fragment StorageSection_WorkspaceFragment on Workspace {\n    id\n    name\n    viewerRole\n    canManageStorage\n    provisioningBlockedReason\n    plan {\n      id\n      name\n      pricePerGiBMonth\n      currency\n    }\n    storageSummary {\n      availableGiB\n      planLimitGiB\n    }\n    ...StorageSummaryCards_WorkspaceFragment\n    ...NamespaceQuotasPanel_WorkspaceFragment\n  }\n": typeof types.StorageSection_WorkspaceFragmentFragmentDoc,
    "\n  fragment StorageSummaryCards_WorkspaceFragment on Workspace {\n    id\n    plan {\n      id\n      name\n      dedicated\n      storageCeilingGiB\n      pricePerGiBMonth\n      currency\n    }\n    storageSummary {\n      provisionedGiB\n      planLimitGiB\n      availableGiB\n      monthlyCost\n      currency\n    }\n  }\n": typeof types.StorageSummaryCards_WorkspaceFragmentFragmentDoc,
    "\n  fragment VolumesTable_StorageVolumeFragment on StorageVolume {\n    id\n    name\n    sizeGiB\n    requestedSizeGiB\n    status\n    failureReason\n    storageClassName\n    persistentVolumeName\n    node\n    storage\n    monthlyCost\n    currency\n    usage {\n      usedBytes\n      capacityBytes\n      percent\n      sampledAt\n      estimatedFullAt\n    }\n  }\n": typeof types.VolumesTable_StorageVolumeFragmentFragmentDoc,
    "\n  fragment VolumesTable_CapacityAlertFragment on CapacityAlert {\n    id\n    volumeId\n    state\n    level\n    thresholdPercent\n  }\n": typeof types.VolumesTable_CapacityAlertFragmentFragmentDoc,
    "\n  query VolumeBackupWriters($workspaceId: ID!, $volumeId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolume(id: $volumeId) {\n        id\n        backupWriters {\n          id\n          name\n          applicationId\n        }\n      }\n    }\n  }\n": typeof types.VolumeBackupWritersDocument,
    "\n  mutation CreateStorageVolume($input: CreateStorageVolumeInput!) {\n    createStorageVolume(input: $input) {\n      id\n      workspaceId\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n": typeof types.CreateStorageVolumeDocument,
    "\n  mutation ExpandStorageVolume($input: ExpandStorageVolumeInput!) {\n    expandStorageVolume(input: $input) {\n      id\n      workspaceId\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n": typeof types.ExpandStorageVolumeDocument,
    "\n  mutation DeleteStorageVolume($id: ID!) {\n    deleteStorageVolume(id: $id) {\n      id\n      workspaceId\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n": typeof types.DeleteStorageVolumeDocument,
    "\n  query VolumePicker($workspaceId: ID!, $first: Int!, $filter: StorageVolumeFilter, $selectedId: ID!, $hasSelected: Boolean!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolumePage(first: $first, sort: { key: NAME, direction: ASC }, filter: $filter) {\n        totalCount\n        nodes {\n          id\n          name\n          sizeGiB\n          status\n        }\n      }\n      selected: storageVolume(id: $selectedId) @include(if: $hasSelected) {\n        id\n        name\n        sizeGiB\n        status\n      }\n    }\n  }\n": typeof types.VolumePickerDocument,
    "\n  subscription StorageVolumeChanged($workspaceId: ID!) {\n    storageVolumeChanged(workspaceId: $workspaceId) {\n      id\n      workspaceId\n      status\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n": typeof types.StorageVolumeChangedDocument,
    "\n  query StorageSummaryRefresh($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageSummary {\n        provisionedGiB\n        planLimitGiB\n        availableGiB\n        monthlyCost\n        currency\n      }\n    }\n  }\n": typeof types.StorageSummaryRefreshDocument,
    "\n  subscription CapacityAlertRaised($workspaceId: ID!) {\n    capacityAlertRaised(workspaceId: $workspaceId) {\n      id\n      volumeId\n      state\n      level\n    }\n  }\n": typeof types.CapacityAlertRaisedDocument,
    "\n  query CapacityAlertsRefresh($workspaceId: ID!) {\n    capacityAlerts(workspaceId: $workspaceId) {\n      id\n      ...VolumesTable_CapacityAlertFragment\n    }\n  }\n": typeof types.CapacityAlertsRefreshDocument,
    "\n  query VolumeRowRefresh($workspaceId: ID!, $volumeId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolume(id: $volumeId) {\n        id\n        ...VolumesTable_StorageVolumeFragment\n      }\n    }\n  }\n": typeof types.VolumeRowRefreshDocument,
    "\n  query VolumeUsageHistory($workspaceId: ID!, $volumeId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolume(id: $volumeId) {\n        id\n        name\n        sizeGiB\n        usage {\n          usedBytes\n          capacityBytes\n          percent\n          sampledAt\n          estimatedFullAt\n          projection {\n            steps {\n              at\n              kind\n              backupName\n              source\n              deltaBytes\n              usedBytes\n            }\n            firstFailure {\n              at\n              backupName\n              neededBytes\n              freeBytes\n            }\n            plateauBytes\n          }\n        }\n        usageHistory(hours: 24) {\n          at\n          usedBytes\n          capacityBytes\n        }\n      }\n    }\n  }\n": typeof types.VolumeUsageHistoryDocument,
    "\n  query StorageVolumeWindow(\n    $workspaceId: ID!\n    $first: Int!\n    $after: String\n    $sort: StorageVolumeSort\n    $filter: StorageVolumeFilter\n    $withCursors: Boolean!\n  ) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolumePage(first: $first, after: $after, sort: $sort, filter: $filter) {\n        totalCount\n        pageCursors @include(if: $withCursors)\n        nodes {\n          id\n          ...VolumesTable_StorageVolumeFragment\n        }\n      }\n    }\n  }\n": typeof types.StorageVolumeWindowDocument,
    "\n  query ApplicationBackupsPage($workspaceId: ID!, $applicationId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      ...BackupSection_WorkspaceFragment\n    }\n    application(id: $applicationId) {\n      id\n      ...BackupSection_ApplicationFragment\n    }\n  }\n": typeof types.ApplicationBackupsPageDocument,
    "\n  query ApplicationOverviewPage($applicationId: ID!) {\n    application(id: $applicationId) {\n      id\n      ...ApplicationClaimsList_ApplicationFragment\n    }\n  }\n": typeof types.ApplicationOverviewPageDocument,
    "\n  query ApplicationPage($applicationId: ID!) {\n    application(id: $applicationId) {\n      id\n      name\n      namespace\n      workspaceId\n    }\n  }\n": typeof types.ApplicationPageDocument,
    "\n  query ApplicationsPage($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      name\n      applications {\n        id\n        ...ApplicationsTable_ApplicationFragment\n      }\n    }\n  }\n": typeof types.ApplicationsPageDocument,
    "\n  query StoragePage($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      ...StorageSection_WorkspaceFragment\n    }\n    capacityAlerts(workspaceId: $workspaceId) {\n      id\n      ...VolumesTable_CapacityAlertFragment\n    }\n  }\n": typeof types.StoragePageDocument,
};
const documents: Documents = {
    "\n  fragment ApplicationClaimsList_ApplicationFragment on Application {\n    id\n    namespace\n    claims {\n      name\n      storageClassName\n      capacityGiB\n      phase\n      coveredByBackup\n      dismissed\n      restoredFrom\n      isStorageVolume\n    }\n  }\n": types.ApplicationClaimsList_ApplicationFragmentFragmentDoc,
    "\n  fragment ApplicationsTable_ApplicationFragment on Application {\n    id\n    name\n    namespace\n    backups {\n      id\n    }\n    claims {\n      name\n      coveredByBackup\n      dismissed\n      restoredFrom\n      isStorageVolume\n    }\n  }\n": types.ApplicationsTable_ApplicationFragmentFragmentDoc,
    "\n  fragment AssistantMessageBubble_AssistantMessageFragment on AssistantMessage {\n    id\n    author\n    text\n    createdAt\n    proposal {\n      ...ProposalActions_ExpansionProposalFragment\n    }\n  }\n": types.AssistantMessageBubble_AssistantMessageFragmentFragmentDoc,
    "\n  fragment ProposalActions_ExpansionProposalFragment on ExpansionProposal {\n    volumeId\n    volumeName\n    fromSizeGiB\n    suggestedSizeGiB\n    state\n    sizeGiB\n  }\n": types.ProposalActions_ExpansionProposalFragmentFragmentDoc,
    "\n  query AssistantConversation($workspaceId: ID!) {\n    assistantConversation(workspaceId: $workspaceId, last: 50) {\n      id\n      author\n      ...AssistantMessageBubble_AssistantMessageFragment\n    }\n  }\n": types.AssistantConversationDocument,
    "\n  subscription AssistantMessageAdded($workspaceId: ID!) {\n    assistantMessageAdded(workspaceId: $workspaceId) {\n      id\n      author\n      ...AssistantMessageBubble_AssistantMessageFragment\n    }\n  }\n": types.AssistantMessageAddedDocument,
    "\n  query AssistantEventLog($workspaceId: ID!) {\n    assistantEventLog(workspaceId: $workspaceId) {\n      id\n      createdAt\n      fromAgent\n      toAgent\n      kind\n      outcome\n      handledAt\n      summary\n    }\n  }\n": types.AssistantEventLogDocument,
    "\n  mutation ReplyToAssistant($input: ReplyToAssistantInput!) {\n    replyToAssistant(input: $input) {\n      id\n      author\n      ...AssistantMessageBubble_AssistantMessageFragment\n    }\n  }\n": types.ReplyToAssistantDocument,
    "\n  query AssistantUnreadCount($workspaceId: ID!) {\n    assistantUnreadCount(workspaceId: $workspaceId)\n  }\n": types.AssistantUnreadCountDocument,
    "\n  mutation MarkAssistantRead($workspaceId: ID!, $messageId: ID!) {\n    markAssistantRead(workspaceId: $workspaceId, messageId: $messageId)\n  }\n": types.MarkAssistantReadDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  fragment BackupFormDialog_BackupFragment on Backup {\n    id\n    name\n    schedule\n    timeZone\n    concurrencyPolicy\n    verifyAfterRun\n    format\n    source {\n      pvcName\n    }\n    destination {\n      volumeId\n      path\n    }\n    function {\n      kind\n      compression\n      image\n      script\n      database {\n        host\n        port\n        name\n        user\n        passwordSecretName\n        passwordSecretKey\n      }\n    }\n    retention {\n      keepLast\n      keepDaily\n      keepWeekly\n      keepMonthly\n    }\n  }\n": types.BackupFormDialog_BackupFragmentFragmentDoc,
    "\n  fragment BackupSection_WorkspaceFragment on Workspace {\n    id\n    viewerRole\n    plan {\n      id\n      name\n      dedicated\n    }\n    storageVolumes {\n      id\n      name\n      status\n      sizeGiB\n      storageClassName\n    }\n  }\n": types.BackupSection_WorkspaceFragmentFragmentDoc,
    "\n  fragment BackupSection_ApplicationFragment on Application {\n    id\n    name\n    namespace\n    claims {\n      name\n      storageClassName\n      capacityGiB\n      phase\n      isStorageVolume\n      coveredByBackup\n      dismissed\n      restoredFrom\n    }\n    backups {\n      id\n      name\n      ...BackupsTable_BackupFragment\n      ...BackupFormDialog_BackupFragment\n    }\n  }\n": types.BackupSection_ApplicationFragmentFragmentDoc,
    "\n  fragment BackupsTable_BackupFragment on Backup {\n    id\n    applicationId\n    name\n    schedule\n    timeZone\n    scheduleDescription\n    nextRunAt\n    suspended\n    reconcileError\n    cronJobName\n    source {\n      pvcName\n    }\n    function {\n      kind\n    }\n    destination {\n      volumeId\n      path\n      volume {\n        id\n        name\n      }\n    }\n    lastRun {\n      id\n      status\n      failureReason\n      message\n      bytesWritten\n      scheduledAt\n      startedAt\n      finishedAt\n    }\n  }\n": types.BackupsTable_BackupFragmentFragmentDoc,
    "\n  fragment PrunePreview_BackupFragment on Backup {\n    id\n    prunePreview {\n      id\n      snapshot\n      finishedAt\n    }\n  }\n": types.PrunePreview_BackupFragmentFragmentDoc,
    "\n  fragment RunsTable_BackupRunFragment on BackupRun {\n    id\n    backupId\n    kind\n    trigger\n    status\n    failureReason\n    message\n    jobName\n    scheduledAt\n    startedAt\n    finishedAt\n    durationSeconds\n    bytesWritten\n    files\n    restic {\n      bytesRead\n      bytesAdded\n      filesNew\n      filesChanged\n      filesUnmodified\n    }\n    snapshot\n    prunedAt\n    verifyState\n    verifications {\n      id\n      status\n      message\n      finishedAt\n      createdAt\n    }\n    sourceRunId\n    restoreTarget\n  }\n": types.RunsTable_BackupRunFragmentFragmentDoc,
    "\n  mutation CreateBackup($input: CreateBackupInput!) {\n    createBackup(input: $input) {\n      id\n      applicationId\n      ...BackupsTable_BackupFragment\n      ...BackupFormDialog_BackupFragment\n    }\n  }\n": types.CreateBackupDocument,
    "\n  mutation UpdateBackup($input: UpdateBackupInput!) {\n    updateBackup(input: $input) {\n      id\n      applicationId\n      ...BackupsTable_BackupFragment\n      ...BackupFormDialog_BackupFragment\n      ...PrunePreview_BackupFragment\n    }\n  }\n": types.UpdateBackupDocument,
    "\n  mutation DeleteBackup($id: ID!) {\n    deleteBackup(id: $id) {\n      id\n      applicationId\n    }\n  }\n": types.DeleteBackupDocument,
    "\n  mutation SuspendBackup($id: ID!) {\n    suspendBackup(id: $id) {\n      id\n      ...BackupsTable_BackupFragment\n    }\n  }\n": types.SuspendBackupDocument,
    "\n  mutation ResumeBackup($id: ID!) {\n    resumeBackup(id: $id) {\n      id\n      ...BackupsTable_BackupFragment\n    }\n  }\n": types.ResumeBackupDocument,
    "\n  mutation RunBackupNow($id: ID!) {\n    runBackupNow(id: $id) {\n      id\n      backupId\n      kind\n      status\n      scheduledAt\n      ...RunsTable_BackupRunFragment\n    }\n  }\n": types.RunBackupNowDocument,
    "\n  mutation RestoreBackupRun($input: RestoreBackupRunInput!) {\n    restoreBackupRun(input: $input) {\n      id\n      backupId\n      kind\n      status\n      scheduledAt\n      ...RunsTable_BackupRunFragment\n    }\n  }\n": types.RestoreBackupRunDocument,
    "\n  mutation VerifyBackupRun($runId: ID!) {\n    verifyBackupRun(runId: $runId) {\n      id\n      backupId\n      kind\n      status\n      scheduledAt\n      ...RunsTable_BackupRunFragment\n    }\n  }\n": types.VerifyBackupRunDocument,
    "\n  mutation DismissUncoveredClaim($applicationId: ID!, $claimName: String!) {\n    dismissUncoveredClaim(applicationId: $applicationId, claimName: $claimName) {\n      id\n    }\n  }\n": types.DismissUncoveredClaimDocument,
    "\n  query BackupRunsPanel($backupId: ID!, $first: Int!, $before: DateTimeISO) {\n    backup(id: $backupId) {\n      id\n      runs(first: $first, before: $before) {\n        nodes {\n          id\n          ...RunsTable_BackupRunFragment\n        }\n        totalCount\n        nextBefore\n      }\n      ...PrunePreview_BackupFragment\n    }\n  }\n": types.BackupRunsPanelDocument,
    "\n  query BackupRefresh($backupId: ID!) {\n    backup(id: $backupId) {\n      id\n      ...BackupsTable_BackupFragment\n      ...PrunePreview_BackupFragment\n      runs(first: 20) {\n        nodes {\n          id\n          ...RunsTable_BackupRunFragment\n        }\n        totalCount\n        nextBefore\n      }\n    }\n  }\n": types.BackupRefreshDocument,
    "\n  query BackupRunLogs($runId: ID!) {\n    backupRun(id: $runId) {\n      id\n      status\n      logs\n    }\n  }\n": types.BackupRunLogsDocument,
    "\n  query SchedulePreview($schedule: String!, $timeZone: String!) {\n    schedulePreview(schedule: $schedule, timeZone: $timeZone) {\n      valid\n      error\n      field\n      description\n      nextRuns\n    }\n  }\n": types.SchedulePreviewDocument,
    "\n  subscription BackupRunChanged($applicationId: ID!) {\n    backupRunChanged(applicationId: $applicationId) {\n      id\n      backupId\n      kind\n      status\n      scheduledAt\n      ...RunsTable_BackupRunFragment\n    }\n  }\n": types.BackupRunChangedDocument,
    "\n  fragment NamespaceQuotaRow_NamespaceQuotaFragment on NamespaceQuota {\n    namespace\n    configured\n    requestsStorageGiB\n    usedStorageGiB\n    maxPersistentVolumeClaims\n    usedPersistentVolumeClaims\n    storageClassLimits {\n      storageClassName\n      requestsStorageGiB\n      usedStorageGiB\n      maxPersistentVolumeClaims\n      usedPersistentVolumeClaims\n    }\n  }\n": types.NamespaceQuotaRow_NamespaceQuotaFragmentFragmentDoc,
    "\n  fragment NamespaceQuotasPanel_WorkspaceFragment on Workspace {\n    id\n    namespaceQuotas {\n      namespace\n      ...NamespaceQuotaRow_NamespaceQuotaFragment\n    }\n  }\n": types.NamespaceQuotasPanel_WorkspaceFragmentFragmentDoc,
    "\n  mutation SetNamespaceQuota($input: SetNamespaceQuotaInput!) {\n    setNamespaceQuota(input: $input) {\n      namespace\n      ...NamespaceQuotaRow_NamespaceQuotaFragment\n    }\n  }\n": types.SetNamespaceQuotaDocument,
    "\n  query RepositoryKey($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      slug\n      repositoryKeyExports {\n        id\n        userEmail\n        createdAt\n      }\n    }\n  }\n": types.RepositoryKeyDocument,
    "\n  mutation ExportRepositoryKey($workspaceId: ID!, $confirm: String!) {\n    exportRepositoryKey(workspaceId: $workspaceId, confirm: $confirm)\n  }\n": types.ExportRepositoryKeyDocument,
    "\n  fragment LabNote_PlatformFragment on Platform {\n    lab\n    note\n  }\n": types.LabNote_PlatformFragmentFragmentDoc,
    "\n  fragment UserMenu_UserFragment on User {\n    id\n    email\n    name\n    memberships {\n      role\n      workspace {\n        id\n      }\n    }\n  }\n": types.UserMenu_UserFragmentFragmentDoc,
    "\n  fragment WorkspaceSwitcher_UserFragment on User {\n    memberships {\n      role\n      workspace {\n        id\n        name\n        slug\n      }\n    }\n  }\n": types.WorkspaceSwitcher_UserFragmentFragmentDoc,
    "\n  query Shell {\n    me {\n      id\n      ...WorkspaceSwitcher_UserFragment\n      ...UserMenu_UserFragment\n      memberships {\n        role\n        workspace {\n          id\n        }\n      }\n    }\n    platform {\n      ...LabNote_PlatformFragment\n    }\n  }\n": types.ShellDocument,
    "\n  query QuotaStorageClasses($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolumes {\n        id\n        storageClassName\n      }\n    }\n  }\n": types.QuotaStorageClassesDocument,
    "\n  fragment StorageSection_WorkspaceFragment on Workspace {\n    id\n    name\n    viewerRole\n    canManageStorage\n    provisioningBlockedReason\n    plan {\n      id\n      name\n      pricePerGiBMonth\n      currency\n    }\n    storageSummary {\n      availableGiB\n      planLimitGiB\n    }\n    ...StorageSummaryCards_WorkspaceFragment\n    ...NamespaceQuotasPanel_WorkspaceFragment\n  }\n": types.StorageSection_WorkspaceFragmentFragmentDoc,
    "\n  fragment StorageSummaryCards_WorkspaceFragment on Workspace {\n    id\n    plan {\n      id\n      name\n      dedicated\n      storageCeilingGiB\n      pricePerGiBMonth\n      currency\n    }\n    storageSummary {\n      provisionedGiB\n      planLimitGiB\n      availableGiB\n      monthlyCost\n      currency\n    }\n  }\n": types.StorageSummaryCards_WorkspaceFragmentFragmentDoc,
    "\n  fragment VolumesTable_StorageVolumeFragment on StorageVolume {\n    id\n    name\n    sizeGiB\n    requestedSizeGiB\n    status\n    failureReason\n    storageClassName\n    persistentVolumeName\n    node\n    storage\n    monthlyCost\n    currency\n    usage {\n      usedBytes\n      capacityBytes\n      percent\n      sampledAt\n      estimatedFullAt\n    }\n  }\n": types.VolumesTable_StorageVolumeFragmentFragmentDoc,
    "\n  fragment VolumesTable_CapacityAlertFragment on CapacityAlert {\n    id\n    volumeId\n    state\n    level\n    thresholdPercent\n  }\n": types.VolumesTable_CapacityAlertFragmentFragmentDoc,
    "\n  query VolumeBackupWriters($workspaceId: ID!, $volumeId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolume(id: $volumeId) {\n        id\n        backupWriters {\n          id\n          name\n          applicationId\n        }\n      }\n    }\n  }\n": types.VolumeBackupWritersDocument,
    "\n  mutation CreateStorageVolume($input: CreateStorageVolumeInput!) {\n    createStorageVolume(input: $input) {\n      id\n      workspaceId\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n": types.CreateStorageVolumeDocument,
    "\n  mutation ExpandStorageVolume($input: ExpandStorageVolumeInput!) {\n    expandStorageVolume(input: $input) {\n      id\n      workspaceId\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n": types.ExpandStorageVolumeDocument,
    "\n  mutation DeleteStorageVolume($id: ID!) {\n    deleteStorageVolume(id: $id) {\n      id\n      workspaceId\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n": types.DeleteStorageVolumeDocument,
    "\n  query VolumePicker($workspaceId: ID!, $first: Int!, $filter: StorageVolumeFilter, $selectedId: ID!, $hasSelected: Boolean!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolumePage(first: $first, sort: { key: NAME, direction: ASC }, filter: $filter) {\n        totalCount\n        nodes {\n          id\n          name\n          sizeGiB\n          status\n        }\n      }\n      selected: storageVolume(id: $selectedId) @include(if: $hasSelected) {\n        id\n        name\n        sizeGiB\n        status\n      }\n    }\n  }\n": types.VolumePickerDocument,
    "\n  subscription StorageVolumeChanged($workspaceId: ID!) {\n    storageVolumeChanged(workspaceId: $workspaceId) {\n      id\n      workspaceId\n      status\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n": types.StorageVolumeChangedDocument,
    "\n  query StorageSummaryRefresh($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageSummary {\n        provisionedGiB\n        planLimitGiB\n        availableGiB\n        monthlyCost\n        currency\n      }\n    }\n  }\n": types.StorageSummaryRefreshDocument,
    "\n  subscription CapacityAlertRaised($workspaceId: ID!) {\n    capacityAlertRaised(workspaceId: $workspaceId) {\n      id\n      volumeId\n      state\n      level\n    }\n  }\n": types.CapacityAlertRaisedDocument,
    "\n  query CapacityAlertsRefresh($workspaceId: ID!) {\n    capacityAlerts(workspaceId: $workspaceId) {\n      id\n      ...VolumesTable_CapacityAlertFragment\n    }\n  }\n": types.CapacityAlertsRefreshDocument,
    "\n  query VolumeRowRefresh($workspaceId: ID!, $volumeId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolume(id: $volumeId) {\n        id\n        ...VolumesTable_StorageVolumeFragment\n      }\n    }\n  }\n": types.VolumeRowRefreshDocument,
    "\n  query VolumeUsageHistory($workspaceId: ID!, $volumeId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolume(id: $volumeId) {\n        id\n        name\n        sizeGiB\n        usage {\n          usedBytes\n          capacityBytes\n          percent\n          sampledAt\n          estimatedFullAt\n          projection {\n            steps {\n              at\n              kind\n              backupName\n              source\n              deltaBytes\n              usedBytes\n            }\n            firstFailure {\n              at\n              backupName\n              neededBytes\n              freeBytes\n            }\n            plateauBytes\n          }\n        }\n        usageHistory(hours: 24) {\n          at\n          usedBytes\n          capacityBytes\n        }\n      }\n    }\n  }\n": types.VolumeUsageHistoryDocument,
    "\n  query StorageVolumeWindow(\n    $workspaceId: ID!\n    $first: Int!\n    $after: String\n    $sort: StorageVolumeSort\n    $filter: StorageVolumeFilter\n    $withCursors: Boolean!\n  ) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolumePage(first: $first, after: $after, sort: $sort, filter: $filter) {\n        totalCount\n        pageCursors @include(if: $withCursors)\n        nodes {\n          id\n          ...VolumesTable_StorageVolumeFragment\n        }\n      }\n    }\n  }\n": types.StorageVolumeWindowDocument,
    "\n  query ApplicationBackupsPage($workspaceId: ID!, $applicationId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      ...BackupSection_WorkspaceFragment\n    }\n    application(id: $applicationId) {\n      id\n      ...BackupSection_ApplicationFragment\n    }\n  }\n": types.ApplicationBackupsPageDocument,
    "\n  query ApplicationOverviewPage($applicationId: ID!) {\n    application(id: $applicationId) {\n      id\n      ...ApplicationClaimsList_ApplicationFragment\n    }\n  }\n": types.ApplicationOverviewPageDocument,
    "\n  query ApplicationPage($applicationId: ID!) {\n    application(id: $applicationId) {\n      id\n      name\n      namespace\n      workspaceId\n    }\n  }\n": types.ApplicationPageDocument,
    "\n  query ApplicationsPage($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      name\n      applications {\n        id\n        ...ApplicationsTable_ApplicationFragment\n      }\n    }\n  }\n": types.ApplicationsPageDocument,
    "\n  query StoragePage($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      ...StorageSection_WorkspaceFragment\n    }\n    capacityAlerts(workspaceId: $workspaceId) {\n      id\n      ...VolumesTable_CapacityAlertFragment\n    }\n  }\n": types.StoragePageDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApplicationClaimsList_ApplicationFragment on Application {\n    id\n    namespace\n    claims {\n      name\n      storageClassName\n      capacityGiB\n      phase\n      coveredByBackup\n      dismissed\n      restoredFrom\n      isStorageVolume\n    }\n  }\n"): (typeof documents)["\n  fragment ApplicationClaimsList_ApplicationFragment on Application {\n    id\n    namespace\n    claims {\n      name\n      storageClassName\n      capacityGiB\n      phase\n      coveredByBackup\n      dismissed\n      restoredFrom\n      isStorageVolume\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApplicationsTable_ApplicationFragment on Application {\n    id\n    name\n    namespace\n    backups {\n      id\n    }\n    claims {\n      name\n      coveredByBackup\n      dismissed\n      restoredFrom\n      isStorageVolume\n    }\n  }\n"): (typeof documents)["\n  fragment ApplicationsTable_ApplicationFragment on Application {\n    id\n    name\n    namespace\n    backups {\n      id\n    }\n    claims {\n      name\n      coveredByBackup\n      dismissed\n      restoredFrom\n      isStorageVolume\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AssistantMessageBubble_AssistantMessageFragment on AssistantMessage {\n    id\n    author\n    text\n    createdAt\n    proposal {\n      ...ProposalActions_ExpansionProposalFragment\n    }\n  }\n"): (typeof documents)["\n  fragment AssistantMessageBubble_AssistantMessageFragment on AssistantMessage {\n    id\n    author\n    text\n    createdAt\n    proposal {\n      ...ProposalActions_ExpansionProposalFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProposalActions_ExpansionProposalFragment on ExpansionProposal {\n    volumeId\n    volumeName\n    fromSizeGiB\n    suggestedSizeGiB\n    state\n    sizeGiB\n  }\n"): (typeof documents)["\n  fragment ProposalActions_ExpansionProposalFragment on ExpansionProposal {\n    volumeId\n    volumeName\n    fromSizeGiB\n    suggestedSizeGiB\n    state\n    sizeGiB\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AssistantConversation($workspaceId: ID!) {\n    assistantConversation(workspaceId: $workspaceId, last: 50) {\n      id\n      author\n      ...AssistantMessageBubble_AssistantMessageFragment\n    }\n  }\n"): (typeof documents)["\n  query AssistantConversation($workspaceId: ID!) {\n    assistantConversation(workspaceId: $workspaceId, last: 50) {\n      id\n      author\n      ...AssistantMessageBubble_AssistantMessageFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AssistantMessageAdded($workspaceId: ID!) {\n    assistantMessageAdded(workspaceId: $workspaceId) {\n      id\n      author\n      ...AssistantMessageBubble_AssistantMessageFragment\n    }\n  }\n"): (typeof documents)["\n  subscription AssistantMessageAdded($workspaceId: ID!) {\n    assistantMessageAdded(workspaceId: $workspaceId) {\n      id\n      author\n      ...AssistantMessageBubble_AssistantMessageFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AssistantEventLog($workspaceId: ID!) {\n    assistantEventLog(workspaceId: $workspaceId) {\n      id\n      createdAt\n      fromAgent\n      toAgent\n      kind\n      outcome\n      handledAt\n      summary\n    }\n  }\n"): (typeof documents)["\n  query AssistantEventLog($workspaceId: ID!) {\n    assistantEventLog(workspaceId: $workspaceId) {\n      id\n      createdAt\n      fromAgent\n      toAgent\n      kind\n      outcome\n      handledAt\n      summary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReplyToAssistant($input: ReplyToAssistantInput!) {\n    replyToAssistant(input: $input) {\n      id\n      author\n      ...AssistantMessageBubble_AssistantMessageFragment\n    }\n  }\n"): (typeof documents)["\n  mutation ReplyToAssistant($input: ReplyToAssistantInput!) {\n    replyToAssistant(input: $input) {\n      id\n      author\n      ...AssistantMessageBubble_AssistantMessageFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AssistantUnreadCount($workspaceId: ID!) {\n    assistantUnreadCount(workspaceId: $workspaceId)\n  }\n"): (typeof documents)["\n  query AssistantUnreadCount($workspaceId: ID!) {\n    assistantUnreadCount(workspaceId: $workspaceId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkAssistantRead($workspaceId: ID!, $messageId: ID!) {\n    markAssistantRead(workspaceId: $workspaceId, messageId: $messageId)\n  }\n"): (typeof documents)["\n  mutation MarkAssistantRead($workspaceId: ID!, $messageId: ID!) {\n    markAssistantRead(workspaceId: $workspaceId, messageId: $messageId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BackupFormDialog_BackupFragment on Backup {\n    id\n    name\n    schedule\n    timeZone\n    concurrencyPolicy\n    verifyAfterRun\n    format\n    source {\n      pvcName\n    }\n    destination {\n      volumeId\n      path\n    }\n    function {\n      kind\n      compression\n      image\n      script\n      database {\n        host\n        port\n        name\n        user\n        passwordSecretName\n        passwordSecretKey\n      }\n    }\n    retention {\n      keepLast\n      keepDaily\n      keepWeekly\n      keepMonthly\n    }\n  }\n"): (typeof documents)["\n  fragment BackupFormDialog_BackupFragment on Backup {\n    id\n    name\n    schedule\n    timeZone\n    concurrencyPolicy\n    verifyAfterRun\n    format\n    source {\n      pvcName\n    }\n    destination {\n      volumeId\n      path\n    }\n    function {\n      kind\n      compression\n      image\n      script\n      database {\n        host\n        port\n        name\n        user\n        passwordSecretName\n        passwordSecretKey\n      }\n    }\n    retention {\n      keepLast\n      keepDaily\n      keepWeekly\n      keepMonthly\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BackupSection_WorkspaceFragment on Workspace {\n    id\n    viewerRole\n    plan {\n      id\n      name\n      dedicated\n    }\n    storageVolumes {\n      id\n      name\n      status\n      sizeGiB\n      storageClassName\n    }\n  }\n"): (typeof documents)["\n  fragment BackupSection_WorkspaceFragment on Workspace {\n    id\n    viewerRole\n    plan {\n      id\n      name\n      dedicated\n    }\n    storageVolumes {\n      id\n      name\n      status\n      sizeGiB\n      storageClassName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BackupSection_ApplicationFragment on Application {\n    id\n    name\n    namespace\n    claims {\n      name\n      storageClassName\n      capacityGiB\n      phase\n      isStorageVolume\n      coveredByBackup\n      dismissed\n      restoredFrom\n    }\n    backups {\n      id\n      name\n      ...BackupsTable_BackupFragment\n      ...BackupFormDialog_BackupFragment\n    }\n  }\n"): (typeof documents)["\n  fragment BackupSection_ApplicationFragment on Application {\n    id\n    name\n    namespace\n    claims {\n      name\n      storageClassName\n      capacityGiB\n      phase\n      isStorageVolume\n      coveredByBackup\n      dismissed\n      restoredFrom\n    }\n    backups {\n      id\n      name\n      ...BackupsTable_BackupFragment\n      ...BackupFormDialog_BackupFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BackupsTable_BackupFragment on Backup {\n    id\n    applicationId\n    name\n    schedule\n    timeZone\n    scheduleDescription\n    nextRunAt\n    suspended\n    reconcileError\n    cronJobName\n    source {\n      pvcName\n    }\n    function {\n      kind\n    }\n    destination {\n      volumeId\n      path\n      volume {\n        id\n        name\n      }\n    }\n    lastRun {\n      id\n      status\n      failureReason\n      message\n      bytesWritten\n      scheduledAt\n      startedAt\n      finishedAt\n    }\n  }\n"): (typeof documents)["\n  fragment BackupsTable_BackupFragment on Backup {\n    id\n    applicationId\n    name\n    schedule\n    timeZone\n    scheduleDescription\n    nextRunAt\n    suspended\n    reconcileError\n    cronJobName\n    source {\n      pvcName\n    }\n    function {\n      kind\n    }\n    destination {\n      volumeId\n      path\n      volume {\n        id\n        name\n      }\n    }\n    lastRun {\n      id\n      status\n      failureReason\n      message\n      bytesWritten\n      scheduledAt\n      startedAt\n      finishedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PrunePreview_BackupFragment on Backup {\n    id\n    prunePreview {\n      id\n      snapshot\n      finishedAt\n    }\n  }\n"): (typeof documents)["\n  fragment PrunePreview_BackupFragment on Backup {\n    id\n    prunePreview {\n      id\n      snapshot\n      finishedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunsTable_BackupRunFragment on BackupRun {\n    id\n    backupId\n    kind\n    trigger\n    status\n    failureReason\n    message\n    jobName\n    scheduledAt\n    startedAt\n    finishedAt\n    durationSeconds\n    bytesWritten\n    files\n    restic {\n      bytesRead\n      bytesAdded\n      filesNew\n      filesChanged\n      filesUnmodified\n    }\n    snapshot\n    prunedAt\n    verifyState\n    verifications {\n      id\n      status\n      message\n      finishedAt\n      createdAt\n    }\n    sourceRunId\n    restoreTarget\n  }\n"): (typeof documents)["\n  fragment RunsTable_BackupRunFragment on BackupRun {\n    id\n    backupId\n    kind\n    trigger\n    status\n    failureReason\n    message\n    jobName\n    scheduledAt\n    startedAt\n    finishedAt\n    durationSeconds\n    bytesWritten\n    files\n    restic {\n      bytesRead\n      bytesAdded\n      filesNew\n      filesChanged\n      filesUnmodified\n    }\n    snapshot\n    prunedAt\n    verifyState\n    verifications {\n      id\n      status\n      message\n      finishedAt\n      createdAt\n    }\n    sourceRunId\n    restoreTarget\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateBackup($input: CreateBackupInput!) {\n    createBackup(input: $input) {\n      id\n      applicationId\n      ...BackupsTable_BackupFragment\n      ...BackupFormDialog_BackupFragment\n    }\n  }\n"): (typeof documents)["\n  mutation CreateBackup($input: CreateBackupInput!) {\n    createBackup(input: $input) {\n      id\n      applicationId\n      ...BackupsTable_BackupFragment\n      ...BackupFormDialog_BackupFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateBackup($input: UpdateBackupInput!) {\n    updateBackup(input: $input) {\n      id\n      applicationId\n      ...BackupsTable_BackupFragment\n      ...BackupFormDialog_BackupFragment\n      ...PrunePreview_BackupFragment\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateBackup($input: UpdateBackupInput!) {\n    updateBackup(input: $input) {\n      id\n      applicationId\n      ...BackupsTable_BackupFragment\n      ...BackupFormDialog_BackupFragment\n      ...PrunePreview_BackupFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteBackup($id: ID!) {\n    deleteBackup(id: $id) {\n      id\n      applicationId\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteBackup($id: ID!) {\n    deleteBackup(id: $id) {\n      id\n      applicationId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SuspendBackup($id: ID!) {\n    suspendBackup(id: $id) {\n      id\n      ...BackupsTable_BackupFragment\n    }\n  }\n"): (typeof documents)["\n  mutation SuspendBackup($id: ID!) {\n    suspendBackup(id: $id) {\n      id\n      ...BackupsTable_BackupFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResumeBackup($id: ID!) {\n    resumeBackup(id: $id) {\n      id\n      ...BackupsTable_BackupFragment\n    }\n  }\n"): (typeof documents)["\n  mutation ResumeBackup($id: ID!) {\n    resumeBackup(id: $id) {\n      id\n      ...BackupsTable_BackupFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunBackupNow($id: ID!) {\n    runBackupNow(id: $id) {\n      id\n      backupId\n      kind\n      status\n      scheduledAt\n      ...RunsTable_BackupRunFragment\n    }\n  }\n"): (typeof documents)["\n  mutation RunBackupNow($id: ID!) {\n    runBackupNow(id: $id) {\n      id\n      backupId\n      kind\n      status\n      scheduledAt\n      ...RunsTable_BackupRunFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RestoreBackupRun($input: RestoreBackupRunInput!) {\n    restoreBackupRun(input: $input) {\n      id\n      backupId\n      kind\n      status\n      scheduledAt\n      ...RunsTable_BackupRunFragment\n    }\n  }\n"): (typeof documents)["\n  mutation RestoreBackupRun($input: RestoreBackupRunInput!) {\n    restoreBackupRun(input: $input) {\n      id\n      backupId\n      kind\n      status\n      scheduledAt\n      ...RunsTable_BackupRunFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyBackupRun($runId: ID!) {\n    verifyBackupRun(runId: $runId) {\n      id\n      backupId\n      kind\n      status\n      scheduledAt\n      ...RunsTable_BackupRunFragment\n    }\n  }\n"): (typeof documents)["\n  mutation VerifyBackupRun($runId: ID!) {\n    verifyBackupRun(runId: $runId) {\n      id\n      backupId\n      kind\n      status\n      scheduledAt\n      ...RunsTable_BackupRunFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DismissUncoveredClaim($applicationId: ID!, $claimName: String!) {\n    dismissUncoveredClaim(applicationId: $applicationId, claimName: $claimName) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation DismissUncoveredClaim($applicationId: ID!, $claimName: String!) {\n    dismissUncoveredClaim(applicationId: $applicationId, claimName: $claimName) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BackupRunsPanel($backupId: ID!, $first: Int!, $before: DateTimeISO) {\n    backup(id: $backupId) {\n      id\n      runs(first: $first, before: $before) {\n        nodes {\n          id\n          ...RunsTable_BackupRunFragment\n        }\n        totalCount\n        nextBefore\n      }\n      ...PrunePreview_BackupFragment\n    }\n  }\n"): (typeof documents)["\n  query BackupRunsPanel($backupId: ID!, $first: Int!, $before: DateTimeISO) {\n    backup(id: $backupId) {\n      id\n      runs(first: $first, before: $before) {\n        nodes {\n          id\n          ...RunsTable_BackupRunFragment\n        }\n        totalCount\n        nextBefore\n      }\n      ...PrunePreview_BackupFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BackupRefresh($backupId: ID!) {\n    backup(id: $backupId) {\n      id\n      ...BackupsTable_BackupFragment\n      ...PrunePreview_BackupFragment\n      runs(first: 20) {\n        nodes {\n          id\n          ...RunsTable_BackupRunFragment\n        }\n        totalCount\n        nextBefore\n      }\n    }\n  }\n"): (typeof documents)["\n  query BackupRefresh($backupId: ID!) {\n    backup(id: $backupId) {\n      id\n      ...BackupsTable_BackupFragment\n      ...PrunePreview_BackupFragment\n      runs(first: 20) {\n        nodes {\n          id\n          ...RunsTable_BackupRunFragment\n        }\n        totalCount\n        nextBefore\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BackupRunLogs($runId: ID!) {\n    backupRun(id: $runId) {\n      id\n      status\n      logs\n    }\n  }\n"): (typeof documents)["\n  query BackupRunLogs($runId: ID!) {\n    backupRun(id: $runId) {\n      id\n      status\n      logs\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SchedulePreview($schedule: String!, $timeZone: String!) {\n    schedulePreview(schedule: $schedule, timeZone: $timeZone) {\n      valid\n      error\n      field\n      description\n      nextRuns\n    }\n  }\n"): (typeof documents)["\n  query SchedulePreview($schedule: String!, $timeZone: String!) {\n    schedulePreview(schedule: $schedule, timeZone: $timeZone) {\n      valid\n      error\n      field\n      description\n      nextRuns\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription BackupRunChanged($applicationId: ID!) {\n    backupRunChanged(applicationId: $applicationId) {\n      id\n      backupId\n      kind\n      status\n      scheduledAt\n      ...RunsTable_BackupRunFragment\n    }\n  }\n"): (typeof documents)["\n  subscription BackupRunChanged($applicationId: ID!) {\n    backupRunChanged(applicationId: $applicationId) {\n      id\n      backupId\n      kind\n      status\n      scheduledAt\n      ...RunsTable_BackupRunFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment NamespaceQuotaRow_NamespaceQuotaFragment on NamespaceQuota {\n    namespace\n    configured\n    requestsStorageGiB\n    usedStorageGiB\n    maxPersistentVolumeClaims\n    usedPersistentVolumeClaims\n    storageClassLimits {\n      storageClassName\n      requestsStorageGiB\n      usedStorageGiB\n      maxPersistentVolumeClaims\n      usedPersistentVolumeClaims\n    }\n  }\n"): (typeof documents)["\n  fragment NamespaceQuotaRow_NamespaceQuotaFragment on NamespaceQuota {\n    namespace\n    configured\n    requestsStorageGiB\n    usedStorageGiB\n    maxPersistentVolumeClaims\n    usedPersistentVolumeClaims\n    storageClassLimits {\n      storageClassName\n      requestsStorageGiB\n      usedStorageGiB\n      maxPersistentVolumeClaims\n      usedPersistentVolumeClaims\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment NamespaceQuotasPanel_WorkspaceFragment on Workspace {\n    id\n    namespaceQuotas {\n      namespace\n      ...NamespaceQuotaRow_NamespaceQuotaFragment\n    }\n  }\n"): (typeof documents)["\n  fragment NamespaceQuotasPanel_WorkspaceFragment on Workspace {\n    id\n    namespaceQuotas {\n      namespace\n      ...NamespaceQuotaRow_NamespaceQuotaFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetNamespaceQuota($input: SetNamespaceQuotaInput!) {\n    setNamespaceQuota(input: $input) {\n      namespace\n      ...NamespaceQuotaRow_NamespaceQuotaFragment\n    }\n  }\n"): (typeof documents)["\n  mutation SetNamespaceQuota($input: SetNamespaceQuotaInput!) {\n    setNamespaceQuota(input: $input) {\n      namespace\n      ...NamespaceQuotaRow_NamespaceQuotaFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RepositoryKey($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      slug\n      repositoryKeyExports {\n        id\n        userEmail\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query RepositoryKey($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      slug\n      repositoryKeyExports {\n        id\n        userEmail\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExportRepositoryKey($workspaceId: ID!, $confirm: String!) {\n    exportRepositoryKey(workspaceId: $workspaceId, confirm: $confirm)\n  }\n"): (typeof documents)["\n  mutation ExportRepositoryKey($workspaceId: ID!, $confirm: String!) {\n    exportRepositoryKey(workspaceId: $workspaceId, confirm: $confirm)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LabNote_PlatformFragment on Platform {\n    lab\n    note\n  }\n"): (typeof documents)["\n  fragment LabNote_PlatformFragment on Platform {\n    lab\n    note\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserMenu_UserFragment on User {\n    id\n    email\n    name\n    memberships {\n      role\n      workspace {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment UserMenu_UserFragment on User {\n    id\n    email\n    name\n    memberships {\n      role\n      workspace {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WorkspaceSwitcher_UserFragment on User {\n    memberships {\n      role\n      workspace {\n        id\n        name\n        slug\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment WorkspaceSwitcher_UserFragment on User {\n    memberships {\n      role\n      workspace {\n        id\n        name\n        slug\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Shell {\n    me {\n      id\n      ...WorkspaceSwitcher_UserFragment\n      ...UserMenu_UserFragment\n      memberships {\n        role\n        workspace {\n          id\n        }\n      }\n    }\n    platform {\n      ...LabNote_PlatformFragment\n    }\n  }\n"): (typeof documents)["\n  query Shell {\n    me {\n      id\n      ...WorkspaceSwitcher_UserFragment\n      ...UserMenu_UserFragment\n      memberships {\n        role\n        workspace {\n          id\n        }\n      }\n    }\n    platform {\n      ...LabNote_PlatformFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query QuotaStorageClasses($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolumes {\n        id\n        storageClassName\n      }\n    }\n  }\n"): (typeof documents)["\n  query QuotaStorageClasses($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolumes {\n        id\n        storageClassName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StorageSection_WorkspaceFragment on Workspace {\n    id\n    name\n    viewerRole\n    canManageStorage\n    provisioningBlockedReason\n    plan {\n      id\n      name\n      pricePerGiBMonth\n      currency\n    }\n    storageSummary {\n      availableGiB\n      planLimitGiB\n    }\n    ...StorageSummaryCards_WorkspaceFragment\n    ...NamespaceQuotasPanel_WorkspaceFragment\n  }\n"): (typeof documents)["\n  fragment StorageSection_WorkspaceFragment on Workspace {\n    id\n    name\n    viewerRole\n    canManageStorage\n    provisioningBlockedReason\n    plan {\n      id\n      name\n      pricePerGiBMonth\n      currency\n    }\n    storageSummary {\n      availableGiB\n      planLimitGiB\n    }\n    ...StorageSummaryCards_WorkspaceFragment\n    ...NamespaceQuotasPanel_WorkspaceFragment\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StorageSummaryCards_WorkspaceFragment on Workspace {\n    id\n    plan {\n      id\n      name\n      dedicated\n      storageCeilingGiB\n      pricePerGiBMonth\n      currency\n    }\n    storageSummary {\n      provisionedGiB\n      planLimitGiB\n      availableGiB\n      monthlyCost\n      currency\n    }\n  }\n"): (typeof documents)["\n  fragment StorageSummaryCards_WorkspaceFragment on Workspace {\n    id\n    plan {\n      id\n      name\n      dedicated\n      storageCeilingGiB\n      pricePerGiBMonth\n      currency\n    }\n    storageSummary {\n      provisionedGiB\n      planLimitGiB\n      availableGiB\n      monthlyCost\n      currency\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment VolumesTable_StorageVolumeFragment on StorageVolume {\n    id\n    name\n    sizeGiB\n    requestedSizeGiB\n    status\n    failureReason\n    storageClassName\n    persistentVolumeName\n    node\n    storage\n    monthlyCost\n    currency\n    usage {\n      usedBytes\n      capacityBytes\n      percent\n      sampledAt\n      estimatedFullAt\n    }\n  }\n"): (typeof documents)["\n  fragment VolumesTable_StorageVolumeFragment on StorageVolume {\n    id\n    name\n    sizeGiB\n    requestedSizeGiB\n    status\n    failureReason\n    storageClassName\n    persistentVolumeName\n    node\n    storage\n    monthlyCost\n    currency\n    usage {\n      usedBytes\n      capacityBytes\n      percent\n      sampledAt\n      estimatedFullAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment VolumesTable_CapacityAlertFragment on CapacityAlert {\n    id\n    volumeId\n    state\n    level\n    thresholdPercent\n  }\n"): (typeof documents)["\n  fragment VolumesTable_CapacityAlertFragment on CapacityAlert {\n    id\n    volumeId\n    state\n    level\n    thresholdPercent\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VolumeBackupWriters($workspaceId: ID!, $volumeId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolume(id: $volumeId) {\n        id\n        backupWriters {\n          id\n          name\n          applicationId\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query VolumeBackupWriters($workspaceId: ID!, $volumeId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolume(id: $volumeId) {\n        id\n        backupWriters {\n          id\n          name\n          applicationId\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateStorageVolume($input: CreateStorageVolumeInput!) {\n    createStorageVolume(input: $input) {\n      id\n      workspaceId\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n"): (typeof documents)["\n  mutation CreateStorageVolume($input: CreateStorageVolumeInput!) {\n    createStorageVolume(input: $input) {\n      id\n      workspaceId\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExpandStorageVolume($input: ExpandStorageVolumeInput!) {\n    expandStorageVolume(input: $input) {\n      id\n      workspaceId\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n"): (typeof documents)["\n  mutation ExpandStorageVolume($input: ExpandStorageVolumeInput!) {\n    expandStorageVolume(input: $input) {\n      id\n      workspaceId\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteStorageVolume($id: ID!) {\n    deleteStorageVolume(id: $id) {\n      id\n      workspaceId\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteStorageVolume($id: ID!) {\n    deleteStorageVolume(id: $id) {\n      id\n      workspaceId\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VolumePicker($workspaceId: ID!, $first: Int!, $filter: StorageVolumeFilter, $selectedId: ID!, $hasSelected: Boolean!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolumePage(first: $first, sort: { key: NAME, direction: ASC }, filter: $filter) {\n        totalCount\n        nodes {\n          id\n          name\n          sizeGiB\n          status\n        }\n      }\n      selected: storageVolume(id: $selectedId) @include(if: $hasSelected) {\n        id\n        name\n        sizeGiB\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  query VolumePicker($workspaceId: ID!, $first: Int!, $filter: StorageVolumeFilter, $selectedId: ID!, $hasSelected: Boolean!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolumePage(first: $first, sort: { key: NAME, direction: ASC }, filter: $filter) {\n        totalCount\n        nodes {\n          id\n          name\n          sizeGiB\n          status\n        }\n      }\n      selected: storageVolume(id: $selectedId) @include(if: $hasSelected) {\n        id\n        name\n        sizeGiB\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription StorageVolumeChanged($workspaceId: ID!) {\n    storageVolumeChanged(workspaceId: $workspaceId) {\n      id\n      workspaceId\n      status\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n"): (typeof documents)["\n  subscription StorageVolumeChanged($workspaceId: ID!) {\n    storageVolumeChanged(workspaceId: $workspaceId) {\n      id\n      workspaceId\n      status\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StorageSummaryRefresh($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageSummary {\n        provisionedGiB\n        planLimitGiB\n        availableGiB\n        monthlyCost\n        currency\n      }\n    }\n  }\n"): (typeof documents)["\n  query StorageSummaryRefresh($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageSummary {\n        provisionedGiB\n        planLimitGiB\n        availableGiB\n        monthlyCost\n        currency\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CapacityAlertRaised($workspaceId: ID!) {\n    capacityAlertRaised(workspaceId: $workspaceId) {\n      id\n      volumeId\n      state\n      level\n    }\n  }\n"): (typeof documents)["\n  subscription CapacityAlertRaised($workspaceId: ID!) {\n    capacityAlertRaised(workspaceId: $workspaceId) {\n      id\n      volumeId\n      state\n      level\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CapacityAlertsRefresh($workspaceId: ID!) {\n    capacityAlerts(workspaceId: $workspaceId) {\n      id\n      ...VolumesTable_CapacityAlertFragment\n    }\n  }\n"): (typeof documents)["\n  query CapacityAlertsRefresh($workspaceId: ID!) {\n    capacityAlerts(workspaceId: $workspaceId) {\n      id\n      ...VolumesTable_CapacityAlertFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VolumeRowRefresh($workspaceId: ID!, $volumeId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolume(id: $volumeId) {\n        id\n        ...VolumesTable_StorageVolumeFragment\n      }\n    }\n  }\n"): (typeof documents)["\n  query VolumeRowRefresh($workspaceId: ID!, $volumeId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolume(id: $volumeId) {\n        id\n        ...VolumesTable_StorageVolumeFragment\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VolumeUsageHistory($workspaceId: ID!, $volumeId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolume(id: $volumeId) {\n        id\n        name\n        sizeGiB\n        usage {\n          usedBytes\n          capacityBytes\n          percent\n          sampledAt\n          estimatedFullAt\n          projection {\n            steps {\n              at\n              kind\n              backupName\n              source\n              deltaBytes\n              usedBytes\n            }\n            firstFailure {\n              at\n              backupName\n              neededBytes\n              freeBytes\n            }\n            plateauBytes\n          }\n        }\n        usageHistory(hours: 24) {\n          at\n          usedBytes\n          capacityBytes\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query VolumeUsageHistory($workspaceId: ID!, $volumeId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolume(id: $volumeId) {\n        id\n        name\n        sizeGiB\n        usage {\n          usedBytes\n          capacityBytes\n          percent\n          sampledAt\n          estimatedFullAt\n          projection {\n            steps {\n              at\n              kind\n              backupName\n              source\n              deltaBytes\n              usedBytes\n            }\n            firstFailure {\n              at\n              backupName\n              neededBytes\n              freeBytes\n            }\n            plateauBytes\n          }\n        }\n        usageHistory(hours: 24) {\n          at\n          usedBytes\n          capacityBytes\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StorageVolumeWindow(\n    $workspaceId: ID!\n    $first: Int!\n    $after: String\n    $sort: StorageVolumeSort\n    $filter: StorageVolumeFilter\n    $withCursors: Boolean!\n  ) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolumePage(first: $first, after: $after, sort: $sort, filter: $filter) {\n        totalCount\n        pageCursors @include(if: $withCursors)\n        nodes {\n          id\n          ...VolumesTable_StorageVolumeFragment\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query StorageVolumeWindow(\n    $workspaceId: ID!\n    $first: Int!\n    $after: String\n    $sort: StorageVolumeSort\n    $filter: StorageVolumeFilter\n    $withCursors: Boolean!\n  ) {\n    workspace(id: $workspaceId) {\n      id\n      storageVolumePage(first: $first, after: $after, sort: $sort, filter: $filter) {\n        totalCount\n        pageCursors @include(if: $withCursors)\n        nodes {\n          id\n          ...VolumesTable_StorageVolumeFragment\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApplicationBackupsPage($workspaceId: ID!, $applicationId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      ...BackupSection_WorkspaceFragment\n    }\n    application(id: $applicationId) {\n      id\n      ...BackupSection_ApplicationFragment\n    }\n  }\n"): (typeof documents)["\n  query ApplicationBackupsPage($workspaceId: ID!, $applicationId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      ...BackupSection_WorkspaceFragment\n    }\n    application(id: $applicationId) {\n      id\n      ...BackupSection_ApplicationFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApplicationOverviewPage($applicationId: ID!) {\n    application(id: $applicationId) {\n      id\n      ...ApplicationClaimsList_ApplicationFragment\n    }\n  }\n"): (typeof documents)["\n  query ApplicationOverviewPage($applicationId: ID!) {\n    application(id: $applicationId) {\n      id\n      ...ApplicationClaimsList_ApplicationFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApplicationPage($applicationId: ID!) {\n    application(id: $applicationId) {\n      id\n      name\n      namespace\n      workspaceId\n    }\n  }\n"): (typeof documents)["\n  query ApplicationPage($applicationId: ID!) {\n    application(id: $applicationId) {\n      id\n      name\n      namespace\n      workspaceId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApplicationsPage($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      name\n      applications {\n        id\n        ...ApplicationsTable_ApplicationFragment\n      }\n    }\n  }\n"): (typeof documents)["\n  query ApplicationsPage($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      name\n      applications {\n        id\n        ...ApplicationsTable_ApplicationFragment\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StoragePage($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      ...StorageSection_WorkspaceFragment\n    }\n    capacityAlerts(workspaceId: $workspaceId) {\n      id\n      ...VolumesTable_CapacityAlertFragment\n    }\n  }\n"): (typeof documents)["\n  query StoragePage($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      ...StorageSection_WorkspaceFragment\n    }\n    capacityAlerts(workspaceId: $workspaceId) {\n      id\n      ...VolumesTable_CapacityAlertFragment\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;