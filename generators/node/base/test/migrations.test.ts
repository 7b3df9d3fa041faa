import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import { expect, it } from "vitest";
import { createDatabase } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { MIGRATIONS } from "../src/db/migrations/index.js";

it("runs every migration once, also when several instances start together", { timeout: 60_000 }, async () => {
  const config = { kind: "sqlite", path: join(mkdtempSync(join(tmpdir(), "migrate-")), "app.db") } as const;
  // node:sqlite is synchronous: instances are processes, each waiting for the others' write lock.
  const script = new URL("./fixtures/migrate-once.ts", import.meta.url).pathname;
  const run = () =>
    promisify(execFile)(process.execPath, ["--import", "tsx", script, config.path], { timeout: 30_000 });
  await Promise.all([run(), run(), run()]);
  await migrateToLatest(config);
  const db = createDatabase(config);
  try {
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS));
    const columns = await sql<{ name: string }>`select name from pragma_table_info('items')`.execute(db);
    expect(columns.rows.map((r) => r.name)).toEqual([
      "id",
      "name",
      "description",
      "price_cents",
      "created_at",
      "updated_at",
    ]);
  } finally {
    await db.destroy();
  }
});

it("reports a failing migration by name and leaves nothing half done", async () => {
  const config = { kind: "sqlite", path: join(mkdtempSync(join(tmpdir(), "migrate-")), "app.db") } as const;
  const broken = {
    ...MIGRATIONS,
    "0002_broken": {
      up: async () => {
        throw new Error("boom");
      },
    },
  };
  await expect(migrateToLatest(config, broken)).rejects.toThrow("0002_broken");
  const db = createDatabase(config);
  try {
    const tables = await sql<{ name: string }>`select name from sqlite_master where name = 'items'`.execute(db);
    expect(tables.rows).toEqual([]);
  } finally {
    await db.destroy();
  }
});
