import { expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { createDatabase } from "../src/db/database.js";
import { HEALTH_LIVE_PATH, HEALTH_READY_PATH } from "../src/platform/contract.js";
import { quiet, testApp, testConfig } from "./helpers.js";

it("is live and ready", async () => {
  const t = await testApp();
  try {
    expect((await t.app.inject({ url: HEALTH_LIVE_PATH })).json()).toEqual({ status: "ok" });
    const ready = await t.app.inject({ url: HEALTH_READY_PATH });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: "ok", checks: { database: "ok" } });
  } finally {
    await t.close();
  }
});

it("is not ready when its database does not answer", async () => {
  const config = testConfig();
  // Nothing listens on port 1: every connection is refused at once.
  const connection = { host: "127.0.0.1", port: 1, user: "nobody", password: "", database: "none" };
  const app = await buildApp({ config, db: createDatabase({ kind: "postgres", connection }), loggerInstance: quiet() });
  try {
    const ready = await app.inject({ url: HEALTH_READY_PATH });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: "error", checks: { database: "error" } });
  } finally {
    await app.close();
  }
});
