import type express from "express";
import type { HealthChecks } from "./health.js";
import type { ServerMetrics } from "./metrics.js";
import { OPERATIONAL_PATHS } from "./paths.js";

/** Health and metrics endpoints: plain handlers in front of everything else, never behind authentication. */
export function mountOperationalRoutes(app: express.Express, health: HealthChecks, metrics: ServerMetrics): void {
  const live: express.RequestHandler = (_req, res) => void res.set("Cache-Control", "no-store").json(health.liveness());
  app.get(OPERATIONAL_PATHS.live, live);
  app.get(OPERATIONAL_PATHS.health, live);
  app.get(OPERATIONAL_PATHS.ready, async (_req, res) => {
    const { ready, reason, migrations } = await health.readiness();
    res.set("Cache-Control", "no-store");
    if (ready) res.json({ status: "ready", migrations });
    else res.status(503).json({ status: "unavailable", reason, ...(migrations ? { migrations } : {}) });
  });
  app.get(OPERATIONAL_PATHS.metrics, async (_req, res) => {
    const { contentType, body } = await metrics.exposition();
    res.set("Cache-Control", "no-store").type(contentType).send(body);
  });
}
