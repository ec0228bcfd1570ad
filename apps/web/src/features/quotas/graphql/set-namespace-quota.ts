import { graphql } from "../../../gql";

export const SetNamespaceQuotaMutation = graphql(`
  mutation SetNamespaceQuota($input: SetNamespaceQuotaInput!) {
    setNamespaceQuota(input: $input) {
      namespace
      ...NamespaceQuotaRow_NamespaceQuotaFragment
    }
  }
`);
