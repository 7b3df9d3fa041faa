// The database: Kysely over Node's built-in SQLite (node:sqlite, no native build) or PostgreSQL (pg).

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import {
  type ColumnType,
  type Generated,
  Kysely,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
  sql,
} from "kysely";
import pg from "pg";
import type { DatabaseConfig } from "../platform/config.js";

export interface ItemTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  price_cents: number;
  // SQLite stores RFC 3339 text, PostgreSQL timestamptz (read back as a Date).
  created_at: ColumnType<Date | string, string, string>;
  updated_at: ColumnType<Date | string, string, string>;
}

export interface Tables {
  items: ItemTable;
}

export type Dialect = DatabaseConfig["kind"];
export type Db = Kysely<Tables>;

/** How long a SQLite connection waits for another one's write lock. */
const SQLITE_BUSY_TIMEOUT_MS = 30_000;

/**
 * Prepared statements kept per SQL text, the least recently used going first. Kysely hands the
 * driver the same texts again and again (its values are parameters), and compiling one was a tenth
 * of an item read's time in a CPU profile.
 */
export const SQLITE_STATEMENT_CACHE_SIZE = 100;

/** node:sqlite's synchronous API in the shape Kysely's SQLite dialect expects. */
export function openSqlite(path: string): SqliteDatabase {
  if (path !== ":memory:") {
    mkdirSync(dirname(path), { recursive: true });
  }
  const db = new DatabaseSync(path);
  db.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  db.exec("PRAGMA foreign_keys = ON");
  if (path !== ":memory:") {
    db.exec("PRAGMA journal_mode = WAL");
  }
  const statements = new Map<string, { statement: StatementSync; reader: boolean }>();
  const cached = (text: string) => {
    let entry = statements.get(text);
    if (entry === undefined) {
      const statement = db.prepare(text);
      entry = { statement, reader: statement.columns().length > 0 };
      if (statements.size >= SQLITE_STATEMENT_CACHE_SIZE) {
        // A Map iterates in insertion order, and each use re-inserts its text: the first key is the
        // least recently used.
        statements.delete(statements.keys().next().value as string);
      }
    } else {
      statements.delete(text);
    }
    statements.set(text, entry);
    return entry;
  };
  const args = (parameters: readonly unknown[]) => parameters as SQLInputValue[];
  return {
    close: () => db.close(),
    prepare(text: string) {
      const { statement, reader } = cached(text);
      return {
        reader,
        all: (parameters: readonly unknown[]) => statement.all(...args(parameters)),
        run: (parameters: readonly unknown[]) => statement.run(...args(parameters)),
        // A statement of its own: running the cached one elsewhere would end an iteration in progress.
        iterate: (parameters: readonly unknown[]) => db.prepare(text).iterate(...args(parameters)),
      };
    },
  };
}

export function createDatabase(config: DatabaseConfig): Db {
  if (config.kind === "sqlite") {
    return new Kysely<Tables>({ dialect: new SqliteDialect({ database: openSqlite(config.path) }) });
  }
  const pool = new pg.Pool({ ...config.connection, max: 10 });
  // An idle connection the server dropped (a restart, a failover) leaves the pool; the next query
  // opens a new one and readiness reports the database meanwhile. Unhandled, it would end the process.
  pool.on("error", () => {});
  return new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
}

/** True when the database answers a trivial query. */
export async function isReachable(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
