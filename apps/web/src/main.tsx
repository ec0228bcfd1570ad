import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router/dom";
import { AppApolloProvider } from "./app/AppApolloProvider";
import { router } from "./app/router";
import { LiveRegions } from "./components/a11y/LiveRegions";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");

createRoot(root).render(
  <StrictMode>
    <AppApolloProvider>
      <RouterProvider router={router} />
      <LiveRegions />
    </AppApolloProvider>
  </StrictMode>,
);
