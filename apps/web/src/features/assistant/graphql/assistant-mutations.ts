import { graphql } from "../../../gql";

/** An answer to the assistant: returns the messages it added (the answer and the assistant's reply). */
export const ReplyToAssistantMutation = graphql(`
  mutation ReplyToAssistant($input: ReplyToAssistantInput!) {
    replyToAssistant(input: $input) {
      id
      author
      ...AssistantMessageBubble_AssistantMessageFragment
    }
  }
`);
