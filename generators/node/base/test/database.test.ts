// The SQLite adapter Kysely runs on: statements prepared once per SQL text, and still right.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { openSqlite, SQLITE_STATEMENT_CACHE_SIZE } from "../src/db/database.js";
import { PROJECT_NAME } from "../src/platform/contract.js";

let dir: string;
let database: ReturnType<typeof openSqlite>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), `${PROJECT_NAME}-database-`));
  database = openSqlite(join(dir, "app.db"));
  database.prepare("create table t (id integer primary key, v text unique)").run([]);
});

afterEach(() => {
  vi.restoreAllMocks();
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (value: string) => database.prepare("insert into t (v) values (?)").run([value]);
const values = (after: number) => database.prepare("select v from t where id > ? order by id").all([after]);

it("prepares a SQL text once, and runs it again with each call's parameters", () => {
  const prepare = vi.spyOn(DatabaseSync.prototype, "prepare");
  insert("a");
  expect(() => insert("a")).toThrow(/UNIQUE/);
  insert("b");
  expect(values(0)).toEqual([{ v: "a" }, { v: "b" }]);
  expect(values(1)).toEqual([{ v: "b" }]);
  expect(prepare).toHaveBeenCalledTimes(2);
  expect(database.prepare("select v from t").reader).toBe(true);
  expect(database.prepare("delete from t where id = ?").reader).toBe(false);
});

it("keeps an iteration going while the same query runs elsewhere", () => {
  insert("a");
  insert("b");
  const iteration = database.prepare("select v from t where id > ? order by id").iterate([0]);
  expect(iteration.next().value).toEqual({ v: "a" });
  expect(values(0)).toHaveLength(2);
  expect(iteration.next().value).toEqual({ v: "b" });
});

it("keeps the most recently used texts, up to its size", () => {
  insert("a");
  const prepare = vi.spyOn(DatabaseSync.prototype, "prepare");
  const numbered = (n: number) => database.prepare(`select v, ${n} as n from t`).all([]);
  expect(values(0)).toEqual([{ v: "a" }]);
  // As many other texts as the cache holds, with `values` used again halfway: it stays.
  for (let n = 0; n < SQLITE_STATEMENT_CACHE_SIZE; n++) {
    expect(numbered(n)).toEqual([{ v: "a", n }]);
    if (n === SQLITE_STATEMENT_CACHE_SIZE / 2) values(0);
  }
  const preparedSoFar = 1 + SQLITE_STATEMENT_CACHE_SIZE;
  expect(prepare).toHaveBeenCalledTimes(preparedSoFar);
  values(0);
  expect(prepare).toHaveBeenCalledTimes(preparedSoFar);
  // The least recently used texts went: the first numbered one is prepared again.
  numbered(0);
  expect(prepare).toHaveBeenCalledTimes(preparedSoFar + 1);
});
