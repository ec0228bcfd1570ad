import type { ReactNode } from "react";
import { ApolloProvider } from "@apollo/client/react";
import { useAuthToken } from "../features/auth/hooks/useAuthToken";
import { apolloClientFor } from "./apollo-client";

export function AppApolloProvider({ children }: { children: ReactNode }) {
  const token = useAuthToken();
  const client = apolloClientFor(token);
  return <ApolloProvider client={client}>{children}</ApolloProvider>;
}
