import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { securityHeaders } from "./security-headers.js";

const servers: http.Server[] = [];

/** An express app as startApp builds it: the headers first, then a page and the /graphql route. */
async function serve(development: boolean): Promise<string> {
  const app = express();
  app.disable("x-powered-by");
  app.use(securityHeaders({ development }));
  app.get("/graphql", (_req, res) => void res.type("html").send("<!doctype html><title>Sandbox</title>"));
  app.get("/storage", (_req, res) => void res.type("html").send("<!doctype html><title>HKS</title>"));
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The CSP as directive -> sources. */
function csp(res: Response): Map<string, string[]> {
  const header = res.headers.get("content-security-policy") ?? "";
  return new Map(
    header
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

let production: string;
let development: string;
beforeAll(async () => {
  production = await serve(false);
  development = await serve(true);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe("the dashboard's security headers", () => {
  it("let only the dashboard's own scripts, styles and connections run, and nothing frame it", async () => {
    const res = await fetch(`${production}/storage`);
    const policy = csp(res);
    expect(policy.get("default-src")).toEqual(["'self'"]);
    expect(policy.get("script-src")).toEqual(["'self'"]);
    expect(policy.get("style-src")).toEqual(["'self'"]);
    expect(policy.get("connect-src")).toEqual(["'self'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'self'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    // Over plain http (the lab, a port-forward) an upgrade would break every asset.
    expect(policy.has("upgrade-insecure-requests")).toBe(false);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });

  it("hold in production for /graphql too, where no Sandbox page is served", async () => {
    const res = await fetch(`${production}/graphql`);
    expect(csp(res).get("script-src")).toEqual(["'self'"]);
  });

  it("leave Apollo's Sandbox at /graphql without the CSP in development, and still unframable and nosniff", async () => {
    const sandbox = await fetch(`${development}/graphql`);
    expect(sandbox.headers.get("content-security-policy")).toBeNull();
    expect(sandbox.headers.get("x-frame-options")).toBe("DENY");
    expect(sandbox.headers.get("x-content-type-options")).toBe("nosniff");
    const dashboard = await fetch(`${development}/storage`);
    expect(csp(dashboard).get("frame-ancestors")).toEqual(["'none'"]);
  });
});
