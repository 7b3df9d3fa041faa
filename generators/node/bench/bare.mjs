// The bare twin of a generated Node service, for `cargo xtask bench-service`: Fastify alone with
// the four benchmarked routes over the generated project's own database set-up (its built
// `openSqlite`, under Kysely's SQLite dialect, on the same items table), and no contract layer (no
// auth, security headers, rate limiter, request ids, logging or schemas). Its libraries come from
// the generated project's node_modules (`PROJECT_DIR`), so they are the versions the project pins.
// It reads HOST, PORT and DATABASE_URL (`sqlite:<path>`), and creates its table itself.
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const project = process.env.PROJECT_DIR;
const require = createRequire(join(project, "package.json"));
const Fastify = require("fastify");
const { Kysely, SqliteDialect } = require("kysely");
const { openSqlite } = await import(pathToFileURL(join(project, "dist/db/database.js")).href);

const database = openSqlite(process.env.DATABASE_URL.replace(/^sqlite:/, ""));
database
  .prepare(`CREATE TABLE IF NOT EXISTS items (
  id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, description TEXT,
  price_cents INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`)
  .run([]);
const db = new Kysely({ dialect: new SqliteDialect({ database }) });

const app = Fastify();
app.get("/health/live", async () => ({ status: "ok" }));
app.get("/api/v1/items", async (request) => {
  const limit = Number(request.query.limit ?? 20);
  const offset = Number(request.query.offset ?? 0);
  const items = await db.selectFrom("items").selectAll().orderBy("id").limit(limit).offset(offset).execute();
  const count = await db
    .selectFrom("items")
    .select((eb) => eb.fn.countAll().as("total"))
    .executeTakeFirstOrThrow();
  return { items, total: Number(count.total), limit, offset };
});
app.get("/api/v1/items/:id", async (request, reply) => {
  const row = await db.selectFrom("items").selectAll().where("id", "=", Number(request.params.id)).executeTakeFirst();
  return row ?? reply.code(404).send({ status: 404 });
});
app.post("/api/v1/items", async (request, reply) => {
  const { name, description = null, price_cents } = request.body;
  const now = new Date().toISOString();
  const row = await db
    .insertInto("items")
    .values({ name, description, price_cents, created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return reply.code(201).send(row);
});
await app.listen({ host: process.env.HOST ?? "127.0.0.1", port: Number(process.env.PORT) });
