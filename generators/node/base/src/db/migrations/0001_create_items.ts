import type { Kysely } from "kysely";
import type { Dialect } from "../database.js";

// One history for both databases: ids are never reused (AUTOINCREMENT on SQLite, an identity on PostgreSQL).
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const postgres = dialect === "postgres";
  await db.schema
    .createTable("items")
    .addColumn("id", "integer", (col) =>
      postgres ? col.primaryKey().generatedAlwaysAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn("name", "varchar(100)", (col) => col.notNull())
    .addColumn("description", "varchar(1000)")
    .addColumn("price_cents", "integer", (col) => col.notNull())
    .addColumn("created_at", postgres ? "timestamptz" : "text", (col) => col.notNull())
    .addColumn("updated_at", postgres ? "timestamptz" : "text", (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("items").execute();
}
