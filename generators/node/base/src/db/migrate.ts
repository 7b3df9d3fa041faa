// Runs pending migrations once, under a lock, before the service listens: an advisory lock on
// PostgreSQL (Kysely's migrator takes it), an exclusive write transaction on SQLite, so replicas
// starting together on one fresh database all start.

import { Kysely, SqliteDialect } from "kysely";
import { type Migration, type MigrationResultSet, Migrator } from "kysely/migration";
import type { DatabaseConfig } from "../platform/config.js";
import { createDatabase, type Dialect, openSqlite } from "./database.js";
import { type DialectMigration, MIGRATIONS } from "./migrations/index.js";

export function migrator(db: Kysely<unknown>, dialect: Dialect, migrations = MIGRATIONS): Migrator {
  const bound: Record<string, Migration> = {};
  for (const [name, migration] of Object.entries(migrations)) {
    bound[name] = withDialect(migration, dialect);
  }
  return new Migrator({ db, provider: { getMigrations: async () => bound } });
}

function withDialect(migration: DialectMigration, dialect: Dialect): Migration {
  const down = migration.down;
  return {
    up: (db) => migration.up(db, dialect),
    ...(down === undefined ? {} : { down: (db: Kysely<unknown>) => down(db, dialect) }),
  };
}

function check({ error, results }: MigrationResultSet): void {
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(`migration ${failed ?? "(setup)"} failed`, { cause: error });
  }
}

/** Brings the database to the latest migration, on a connection of its own. */
export async function migrateToLatest(config: DatabaseConfig, migrations = MIGRATIONS): Promise<void> {
  if (config.kind === "postgres") {
    const db = createDatabase(config) as unknown as Kysely<unknown>;
    try {
      check(await migrator(db, "postgres", migrations).migrateToLatest());
    } finally {
      await db.destroy();
    }
    return;
  }
  // Kysely runs SQLite migrations without a transaction of its own: hold the write lock around them.
  const database = openSqlite(config.path);
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database }) });
  const exec = (statement: string) => database.prepare(statement).run([]);
  try {
    exec("BEGIN IMMEDIATE");
    try {
      check(await migrator(db, "sqlite", migrations).migrateToLatest());
      exec("COMMIT");
    } catch (error) {
      exec("ROLLBACK");
      throw error;
    }
  } finally {
    await db.destroy();
  }
}
