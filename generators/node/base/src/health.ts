// Liveness and readiness probes (no authentication, no rate limit).

import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Services } from "./app.js";
import { isReachable } from "./db/database.js";
import { HEALTH_LIVE_PATH, HEALTH_READY_PATH } from "./platform/contract.js";
import { jsonAnswer, problemResponses } from "./platform/problems.js";

const HealthStatusSchema = z.object({ status: z.string() }).meta({ id: "HealthStatus" });
const ReadinessStatusSchema = z
  .object({ status: z.string(), checks: z.record(z.string(), z.string()) })
  .meta({ id: "ReadinessStatus" });

export async function healthRoutes(app: FastifyInstance, { db }: Services): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    HEALTH_LIVE_PATH,
    {
      schema: {
        operationId: "live",
        tags: ["health"],
        response: { 200: jsonAnswer(HealthStatusSchema), ...problemResponses(500) },
      },
    },
    async () => ({ status: "ok" }),
  );
  api.get(
    HEALTH_READY_PATH,
    {
      schema: {
        operationId: "ready",
        tags: ["health"],
        response: {
          200: jsonAnswer(ReadinessStatusSchema),
          503: jsonAnswer(ReadinessStatusSchema),
          ...problemResponses(500),
        },
      },
    },
    async (_request, reply) => {
      const ok = await isReachable(db);
      return reply
        .code(ok ? 200 : 503)
        .send({ status: ok ? "ok" : "error", checks: { database: ok ? "ok" : "error" } });
    },
  );
}
