import type { CodegenConfig } from "@graphql-codegen/cli";

// Reads the committed schema file, never a running server (CONVENTIONS #7).
const config: CodegenConfig = {
  schema: "../../schema/schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: true,
  generates: {
    "./src/gql/": {
      preset: "client",
      presetConfig: {
        fragmentMasking: { unmaskFunctionName: "useFragment" },
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: "string", DateTimeISO: "string" },
        skipTypename: false,
      },
    },
  },
  hooks: {},
};

export default config;
