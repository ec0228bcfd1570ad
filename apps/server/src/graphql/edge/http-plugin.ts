import type { ApolloServerPlugin } from "@apollo/server";
import type { Context } from "../context.js";

const GRAPHQL_RESPONSE_JSON = "application/graphql-response+json";

/**
 * GraphQL over HTTP as its spec says, where Apollo differs: a request error (parse, validation, a variable or
 * argument refused at the edge: errors and no data) is HTTP 400 only for clients that accept
 * application/graphql-response+json; a client that accepts application/json reads the errors from a 200, as
 * the spec's "legacy" clients expect. And, in production, a caller who is not signed in gets no "Did you mean"
 * suggestions, which would otherwise spell out the schema field by field.
 */
export function graphqlOverHttpPlugin(options: { production: boolean }): ApolloServerPlugin<Context> {
  return {
    requestDidStart: async () => ({
      willSendResponse: async ({ request, response, contextValue }) => {
        const body = response.body;
        if (body.kind !== "single") return;
        const result = body.singleResult;
        if (options.production && !contextValue.viewer && result.errors) {
          body.singleResult = { ...result, errors: result.errors.map((e) => ({ ...e, message: withoutSuggestions(e.message) })) };
        }
        const requestError = result.errors?.length && !("data" in result && result.data !== undefined);
        if (requestError && response.http.status === 400 && !prefersGraphQLResponse(request.http?.headers.get("accept"))) {
          response.http.status = 200;
        }
      },
    }),
  };
}

/** Apollo picks application/json unless the client accepts application/graphql-response+json and not application/json. */
function prefersGraphQLResponse(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(",").map((part) => part.split(";")[0]!.trim().toLowerCase());
  return types.includes(GRAPHQL_RESPONSE_JSON) && !types.includes("application/json");
}

/** graphql-js ends unknown-field, -argument, -type and -value messages with ` Did you mean "x"?`. */
export const withoutSuggestions = (message: string): string => message.replace(/ Did you mean .*\?$/s, "");
