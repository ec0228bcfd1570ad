import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type TestStack } from "./test/harness.js";

let stack: TestStack;
let webDist: string;
const script = `export const rows = [${Array.from({ length: 2000 }, (_, i) => `"volume-${i}"`).join(",")}];\n`;

beforeAll(async () => {
  webDist = await mkdtemp(path.join(os.tmpdir(), "hks-web-"));
  await mkdir(path.join(webDist, "assets"));
  await writeFile(path.join(webDist, "index.html"), `<!doctype html><script type="module" src="/assets/index-abc123.js"></script>`);
  await writeFile(path.join(webDist, "assets/index-abc123.js"), script);
  stack = await startStack({ webDist });
});
afterAll(async () => {
  await stack?.stop();
  await rm(webDist, { recursive: true, force: true });
});

describe("the dashboard's files", () => {
  it("go gzipped to a browser that accepts it, and hashed assets are cached for good", async () => {
    const res = await fetch(`${stack.app.url}/assets/index-abc123.js`, { headers: { "accept-encoding": "gzip" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("cache-control")).toMatch(/immutable/);
    expect(await res.text()).toBe(script);
  });

  it("fall back to index.html for the dashboard's own routes, revalidated on every visit", async () => {
    const res = await fetch(`${stack.app.url}/storage`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(await res.text()).toContain("/assets/index-abc123.js");
  });

  it("come with a strict CSP that forbids framing, with nosniff, and without X-Powered-By", async () => {
    for (const url of [`${stack.app.url}/storage`, `${stack.app.url}/assets/index-abc123.js`, `${stack.app.url}/readyz`]) {
      const res = await fetch(url);
      expect(res.headers.get("content-security-policy"), url).toMatch(/(^|;)script-src 'self'(;|$)/);
      expect(res.headers.get("content-security-policy"), url).toMatch(/(^|;)frame-ancestors 'none'(;|$)/);
      expect(res.headers.get("x-content-type-options"), url).toBe("nosniff");
      expect(res.headers.has("x-powered-by"), url).toBe(false);
    }
  });
});
