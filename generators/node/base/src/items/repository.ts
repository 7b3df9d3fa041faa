// Items in the database; the routes never write SQL.

import type { Db } from "../db/database.js";
import type { Item, ItemIn } from "./schemas.js";

/** Larger ids cannot exist (the column is a 32-bit integer): looking one up finds nothing. */
const MAX_ID = 2_147_483_647;

interface Row {
  id: number;
  name: string;
  description: string | null;
  price_cents: number;
  created_at: Date | string;
  updated_at: Date | string;
}

const rfc3339 = (value: Date | string): string => new Date(value).toISOString();

function toItem(row: Row): Item {
  return {
    id: Number(row.id),
    name: row.name,
    description: row.description,
    price_cents: Number(row.price_cents),
    created_at: rfc3339(row.created_at),
    updated_at: rfc3339(row.updated_at),
  };
}

const exists = (id: number) => id >= 1 && id <= MAX_ID;

export class ItemRepository {
  constructor(private readonly db: Db) {}

  async list(limit: number, offset: number): Promise<{ items: Item[]; total: number }> {
    const rows = await this.db.selectFrom("items").selectAll().orderBy("id").limit(limit).offset(offset).execute();
    const count = await this.db
      .selectFrom("items")
      .select((eb) => eb.fn.countAll<number | string | bigint>().as("total"))
      .executeTakeFirstOrThrow();
    return { items: rows.map(toItem), total: Number(count.total) };
  }

  async get(id: number): Promise<Item | undefined> {
    if (!exists(id)) return undefined;
    const row = await this.db.selectFrom("items").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? undefined : toItem(row);
  }

  async create(input: ItemIn): Promise<Item> {
    const now = new Date().toISOString();
    const row = await this.db
      .insertInto("items")
      .values({ ...fields(input), created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toItem(row);
  }

  /** `undefined` when the item does not exist (or was deleted meanwhile). */
  async replace(id: number, input: ItemIn): Promise<Item | undefined> {
    if (!exists(id)) return undefined;
    const row = await this.db
      .updateTable("items")
      .set({ ...fields(input), updated_at: new Date().toISOString() })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : toItem(row);
  }

  async delete(id: number): Promise<boolean> {
    if (!exists(id)) return false;
    const result = await this.db.deleteFrom("items").where("id", "=", id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

function fields(input: ItemIn) {
  return { name: input.name, description: input.description ?? null, price_cents: input.price_cents };
}
