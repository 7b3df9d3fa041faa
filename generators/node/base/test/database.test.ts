import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { openSqlite, SQLITE_STATEMENT_CACHE_SIZE } from "../src/db/database.js";

let database: ReturnType<typeof openSqlite>;

beforeEach(() => {
  database = openSqlite(join(mkdtempSync(join(tmpdir(), "database-")), "app.db"));
  database.prepare("create table t (id integer primary key, v text unique)").run([]);
});

afterEach(() => {
  database.close();
});

const insert = (value: string) => database.prepare("insert into t (v) values (?)").run([value]);
const values = (after: number) => database.prepare("select v from t where id > ? order by id").all([after]);

it("runs a statement prepared once again and again, with each call's parameters", () => {
  insert("a");
  expect(() => insert("a")).toThrow(/UNIQUE/);
  insert("b");
  expect(values(0)).toEqual([{ v: "a" }, { v: "b" }]);
  expect(values(1)).toEqual([{ v: "b" }]);
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

it("still answers every query once more texts ran than the cache keeps", () => {
  insert("a");
  for (let n = 0; n <= SQLITE_STATEMENT_CACHE_SIZE; n++) {
    expect(database.prepare(`select v, ${n} as n from t`).all([])).toEqual([{ v: "a", n }]);
  }
  expect(values(0)).toEqual([{ v: "a" }]);
});
