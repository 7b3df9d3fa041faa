// The same migrations and queries on PostgreSQL, when TEST_DATABASE_URL names one (CI starts one;
// locally: TEST_DATABASE_URL=postgresql://user:password@127.0.0.1:5432/db npm test). The
// database should be a scratch one: the test creates and deletes items in it.

import { describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { createDatabase } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { ITEMS_PATH } from "../src/platform/contract.js";
import { adminHeaders, quiet, readerHeaders, testConfig } from "./helpers.js";

const url = process.env.TEST_DATABASE_URL ?? "";

describe.runIf(/^postgres(ql)?:\/\//.test(url))("on PostgreSQL", () => {
  it("migrates once when several instances start together, then serves items", { timeout: 30_000 }, async () => {
    const config = testConfig({ DATABASE_URL: url });
    await Promise.all([1, 2, 3].map(() => migrateToLatest(config.database)));
    const app = await buildApp({ config, db: createDatabase(config.database), loggerInstance: quiet() });
    try {
      const headers = await adminHeaders();
      const create = () =>
        app.inject({ method: "POST", url: ITEMS_PATH, headers, payload: { name: " on postgres ", price_cents: 7 } });
      const first = (await create()).json();
      expect(first).toMatchObject({ name: "on postgres", description: null, price_cents: 7 });
      expect(first.created_at).toBe(first.updated_at);

      const read = await app.inject({ url: `${ITEMS_PATH}/${first.id}`, headers: await readerHeaders() });
      expect(read.json()).toEqual(first);
      const put = await app.inject({
        method: "PUT",
        url: `${ITEMS_PATH}/${first.id}`,
        headers,
        payload: { name: "replaced", description: "text", price_cents: 8 },
      });
      expect(put.json()).toMatchObject({ id: first.id, name: "replaced", created_at: first.created_at });
      const list = await app.inject({ url: `${ITEMS_PATH}?limit=1`, headers });
      expect(list.json()).toMatchObject({ limit: 1, offset: 0, items: [expect.any(Object)] });

      expect((await app.inject({ method: "DELETE", url: `${ITEMS_PATH}/${first.id}`, headers })).statusCode).toBe(204);
      const second = (await create()).json();
      expect(second.id).toBeGreaterThan(first.id);
      await app.inject({ method: "DELETE", url: `${ITEMS_PATH}/${second.id}`, headers });
      expect((await app.inject({ url: `${ITEMS_PATH}/99999999999`, headers })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});
