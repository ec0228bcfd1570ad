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
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  fragment NamespaceQuotaRow_NamespaceQuotaFragment on NamespaceQuota {\n    namespace\n    configured\n    requestsStorageGiB\n    usedStorageGiB\n    maxPersistentVolumeClaims\n    usedPersistentVolumeClaims\n    storageClassLimits {\n      storageClassName\n      requestsStorageGiB\n      usedStorageGiB\n      maxPersistentVolumeClaims\n      usedPersistentVolumeClaims\n    }\n  }\n": typeof types.NamespaceQuotaRow_NamespaceQuotaFragmentFragmentDoc,
    "\n  fragment NamespaceQuotasPanel_WorkspaceFragment on Workspace {\n    id\n    namespaceQuotas {\n      namespace\n      ...NamespaceQuotaRow_NamespaceQuotaFragment\n    }\n  }\n": typeof types.NamespaceQuotasPanel_WorkspaceFragmentFragmentDoc,
    "\n  mutation SetNamespaceQuota($input: SetNamespaceQuotaInput!) {\n    setNamespaceQuota(input: $input) {\n      namespace\n      ...NamespaceQuotaRow_NamespaceQuotaFragment\n    }\n  }\n": typeof types.SetNamespaceQuotaDocument,
    "\n  fragment UserMenu_UserFragment on User {\n    id\n    email\n    name\n    memberships {\n      role\n      workspace {\n        id\n      }\n    }\n  }\n": typeof types.UserMenu_UserFragmentFragmentDoc,
    "\n  fragment WorkspaceSwitcher_UserFragment on User {\n    memberships {\n      role\n      workspace {\n        id\n        name\n        slug\n      }\n    }\n  }\n": typeof types.WorkspaceSwitcher_UserFragmentFragmentDoc,
    "\n  query Shell {\n    me {\n      id\n      ...WorkspaceSwitcher_UserFragment\n      ...UserMenu_UserFragment\n      memberships {\n        role\n        workspace {\n          id\n        }\n      }\n    }\n  }\n": typeof types.ShellDocument,
    "\n  fragment StorageSection_WorkspaceFragment on Workspace {\n    id\n    name\n    viewerRole\n    canManageStorage\n    provisioningBlockedReason\n    plan {\n      id\n      name\n      pricePerGiBMonth\n      currency\n    }\n    storageSummary {\n      availableGiB\n      planLimitGiB\n    }\n    storageVolumes {\n      id\n      storageClassName\n      ...VolumesTable_StorageVolumeFragment\n    }\n    ...StorageSummaryCards_WorkspaceFragment\n    ...NamespaceQuotasPanel_WorkspaceFragment\n  }\n": typeof types.StorageSection_WorkspaceFragmentFragmentDoc,
    "\n  fragment StorageSummaryCards_WorkspaceFragment on Workspace {\n    id\n    plan {\n      id\n      name\n      dedicated\n      storageCeilingGiB\n      pricePerGiBMonth\n      currency\n    }\n    storageSummary {\n      provisionedGiB\n      planLimitGiB\n      availableGiB\n      monthlyCost\n      currency\n    }\n  }\n": typeof types.StorageSummaryCards_WorkspaceFragmentFragmentDoc,
    "\n  fragment VolumesTable_StorageVolumeFragment on StorageVolume {\n    id\n    name\n    sizeGiB\n    requestedSizeGiB\n    status\n    failureReason\n    storageClassName\n    persistentVolumeName\n    proxmoxVolumeId\n    node\n    storage\n    monthlyCost\n    currency\n    createdAt\n    updatedAt\n  }\n": typeof types.VolumesTable_StorageVolumeFragmentFragmentDoc,
    "\n  mutation CreateStorageVolume($input: CreateStorageVolumeInput!) {\n    createStorageVolume(input: $input) {\n      id\n      workspaceId\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n": typeof types.CreateStorageVolumeDocument,
    "\n  mutation ExpandStorageVolume($input: ExpandStorageVolumeInput!) {\n    expandStorageVolume(input: $input) {\n      id\n      workspaceId\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n": typeof types.ExpandStorageVolumeDocument,
    "\n  mutation DeleteStorageVolume($id: ID!) {\n    deleteStorageVolume(id: $id) {\n      id\n      workspaceId\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n": typeof types.DeleteStorageVolumeDocument,
    "\n  subscription StorageVolumeChanged($workspaceId: ID!) {\n    storageVolumeChanged(workspaceId: $workspaceId) {\n      id\n      workspaceId\n      status\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n": typeof types.StorageVolumeChangedDocument,
    "\n  query StorageSummaryRefresh($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageSummary {\n        provisionedGiB\n        planLimitGiB\n        availableGiB\n        monthlyCost\n        currency\n      }\n    }\n  }\n": typeof types.StorageSummaryRefreshDocument,
    "\n  query StoragePage($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      ...StorageSection_WorkspaceFragment\n    }\n  }\n": typeof types.StoragePageDocument,
};
const documents: Documents = {
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  fragment NamespaceQuotaRow_NamespaceQuotaFragment on NamespaceQuota {\n    namespace\n    configured\n    requestsStorageGiB\n    usedStorageGiB\n    maxPersistentVolumeClaims\n    usedPersistentVolumeClaims\n    storageClassLimits {\n      storageClassName\n      requestsStorageGiB\n      usedStorageGiB\n      maxPersistentVolumeClaims\n      usedPersistentVolumeClaims\n    }\n  }\n": types.NamespaceQuotaRow_NamespaceQuotaFragmentFragmentDoc,
    "\n  fragment NamespaceQuotasPanel_WorkspaceFragment on Workspace {\n    id\n    namespaceQuotas {\n      namespace\n      ...NamespaceQuotaRow_NamespaceQuotaFragment\n    }\n  }\n": types.NamespaceQuotasPanel_WorkspaceFragmentFragmentDoc,
    "\n  mutation SetNamespaceQuota($input: SetNamespaceQuotaInput!) {\n    setNamespaceQuota(input: $input) {\n      namespace\n      ...NamespaceQuotaRow_NamespaceQuotaFragment\n    }\n  }\n": types.SetNamespaceQuotaDocument,
    "\n  fragment UserMenu_UserFragment on User {\n    id\n    email\n    name\n    memberships {\n      role\n      workspace {\n        id\n      }\n    }\n  }\n": types.UserMenu_UserFragmentFragmentDoc,
    "\n  fragment WorkspaceSwitcher_UserFragment on User {\n    memberships {\n      role\n      workspace {\n        id\n        name\n        slug\n      }\n    }\n  }\n": types.WorkspaceSwitcher_UserFragmentFragmentDoc,
    "\n  query Shell {\n    me {\n      id\n      ...WorkspaceSwitcher_UserFragment\n      ...UserMenu_UserFragment\n      memberships {\n        role\n        workspace {\n          id\n        }\n      }\n    }\n  }\n": types.ShellDocument,
    "\n  fragment StorageSection_WorkspaceFragment on Workspace {\n    id\n    name\n    viewerRole\n    canManageStorage\n    provisioningBlockedReason\n    plan {\n      id\n      name\n      pricePerGiBMonth\n      currency\n    }\n    storageSummary {\n      availableGiB\n      planLimitGiB\n    }\n    storageVolumes {\n      id\n      storageClassName\n      ...VolumesTable_StorageVolumeFragment\n    }\n    ...StorageSummaryCards_WorkspaceFragment\n    ...NamespaceQuotasPanel_WorkspaceFragment\n  }\n": types.StorageSection_WorkspaceFragmentFragmentDoc,
    "\n  fragment StorageSummaryCards_WorkspaceFragment on Workspace {\n    id\n    plan {\n      id\n      name\n      dedicated\n      storageCeilingGiB\n      pricePerGiBMonth\n      currency\n    }\n    storageSummary {\n      provisionedGiB\n      planLimitGiB\n      availableGiB\n      monthlyCost\n      currency\n    }\n  }\n": types.StorageSummaryCards_WorkspaceFragmentFragmentDoc,
    "\n  fragment VolumesTable_StorageVolumeFragment on StorageVolume {\n    id\n    name\n    sizeGiB\n    requestedSizeGiB\n    status\n    failureReason\n    storageClassName\n    persistentVolumeName\n    proxmoxVolumeId\n    node\n    storage\n    monthlyCost\n    currency\n    createdAt\n    updatedAt\n  }\n": types.VolumesTable_StorageVolumeFragmentFragmentDoc,
    "\n  mutation CreateStorageVolume($input: CreateStorageVolumeInput!) {\n    createStorageVolume(input: $input) {\n      id\n      workspaceId\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n": types.CreateStorageVolumeDocument,
    "\n  mutation ExpandStorageVolume($input: ExpandStorageVolumeInput!) {\n    expandStorageVolume(input: $input) {\n      id\n      workspaceId\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n": types.ExpandStorageVolumeDocument,
    "\n  mutation DeleteStorageVolume($id: ID!) {\n    deleteStorageVolume(id: $id) {\n      id\n      workspaceId\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n": types.DeleteStorageVolumeDocument,
    "\n  subscription StorageVolumeChanged($workspaceId: ID!) {\n    storageVolumeChanged(workspaceId: $workspaceId) {\n      id\n      workspaceId\n      status\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n": types.StorageVolumeChangedDocument,
    "\n  query StorageSummaryRefresh($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageSummary {\n        provisionedGiB\n        planLimitGiB\n        availableGiB\n        monthlyCost\n        currency\n      }\n    }\n  }\n": types.StorageSummaryRefreshDocument,
    "\n  query StoragePage($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      ...StorageSection_WorkspaceFragment\n    }\n  }\n": types.StoragePageDocument,
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
export function graphql(source: "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n      }\n    }\n  }\n"];
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
export function graphql(source: "\n  fragment UserMenu_UserFragment on User {\n    id\n    email\n    name\n    memberships {\n      role\n      workspace {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment UserMenu_UserFragment on User {\n    id\n    email\n    name\n    memberships {\n      role\n      workspace {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WorkspaceSwitcher_UserFragment on User {\n    memberships {\n      role\n      workspace {\n        id\n        name\n        slug\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment WorkspaceSwitcher_UserFragment on User {\n    memberships {\n      role\n      workspace {\n        id\n        name\n        slug\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Shell {\n    me {\n      id\n      ...WorkspaceSwitcher_UserFragment\n      ...UserMenu_UserFragment\n      memberships {\n        role\n        workspace {\n          id\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Shell {\n    me {\n      id\n      ...WorkspaceSwitcher_UserFragment\n      ...UserMenu_UserFragment\n      memberships {\n        role\n        workspace {\n          id\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StorageSection_WorkspaceFragment on Workspace {\n    id\n    name\n    viewerRole\n    canManageStorage\n    provisioningBlockedReason\n    plan {\n      id\n      name\n      pricePerGiBMonth\n      currency\n    }\n    storageSummary {\n      availableGiB\n      planLimitGiB\n    }\n    storageVolumes {\n      id\n      storageClassName\n      ...VolumesTable_StorageVolumeFragment\n    }\n    ...StorageSummaryCards_WorkspaceFragment\n    ...NamespaceQuotasPanel_WorkspaceFragment\n  }\n"): (typeof documents)["\n  fragment StorageSection_WorkspaceFragment on Workspace {\n    id\n    name\n    viewerRole\n    canManageStorage\n    provisioningBlockedReason\n    plan {\n      id\n      name\n      pricePerGiBMonth\n      currency\n    }\n    storageSummary {\n      availableGiB\n      planLimitGiB\n    }\n    storageVolumes {\n      id\n      storageClassName\n      ...VolumesTable_StorageVolumeFragment\n    }\n    ...StorageSummaryCards_WorkspaceFragment\n    ...NamespaceQuotasPanel_WorkspaceFragment\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StorageSummaryCards_WorkspaceFragment on Workspace {\n    id\n    plan {\n      id\n      name\n      dedicated\n      storageCeilingGiB\n      pricePerGiBMonth\n      currency\n    }\n    storageSummary {\n      provisionedGiB\n      planLimitGiB\n      availableGiB\n      monthlyCost\n      currency\n    }\n  }\n"): (typeof documents)["\n  fragment StorageSummaryCards_WorkspaceFragment on Workspace {\n    id\n    plan {\n      id\n      name\n      dedicated\n      storageCeilingGiB\n      pricePerGiBMonth\n      currency\n    }\n    storageSummary {\n      provisionedGiB\n      planLimitGiB\n      availableGiB\n      monthlyCost\n      currency\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment VolumesTable_StorageVolumeFragment on StorageVolume {\n    id\n    name\n    sizeGiB\n    requestedSizeGiB\n    status\n    failureReason\n    storageClassName\n    persistentVolumeName\n    proxmoxVolumeId\n    node\n    storage\n    monthlyCost\n    currency\n    createdAt\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment VolumesTable_StorageVolumeFragment on StorageVolume {\n    id\n    name\n    sizeGiB\n    requestedSizeGiB\n    status\n    failureReason\n    storageClassName\n    persistentVolumeName\n    proxmoxVolumeId\n    node\n    storage\n    monthlyCost\n    currency\n    createdAt\n    updatedAt\n  }\n"];
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
export function graphql(source: "\n  subscription StorageVolumeChanged($workspaceId: ID!) {\n    storageVolumeChanged(workspaceId: $workspaceId) {\n      id\n      workspaceId\n      status\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n"): (typeof documents)["\n  subscription StorageVolumeChanged($workspaceId: ID!) {\n    storageVolumeChanged(workspaceId: $workspaceId) {\n      id\n      workspaceId\n      status\n      ...VolumesTable_StorageVolumeFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StorageSummaryRefresh($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageSummary {\n        provisionedGiB\n        planLimitGiB\n        availableGiB\n        monthlyCost\n        currency\n      }\n    }\n  }\n"): (typeof documents)["\n  query StorageSummaryRefresh($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      storageSummary {\n        provisionedGiB\n        planLimitGiB\n        availableGiB\n        monthlyCost\n        currency\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StoragePage($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      ...StorageSection_WorkspaceFragment\n    }\n  }\n"): (typeof documents)["\n  query StoragePage($workspaceId: ID!) {\n    workspace(id: $workspaceId) {\n      id\n      ...StorageSection_WorkspaceFragment\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;