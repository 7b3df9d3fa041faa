// The migration history, in order. Add a migration: copy the latest file under a new number and
// list it here; never edit one that has run somewhere.

import type { Kysely } from "kysely";
import type { Dialect } from "../database.js";
import * as m0001 from "./0001_create_items.js";

export interface DialectMigration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
  down?(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

export const MIGRATIONS: Readonly<Record<string, DialectMigration>> = {
  "0001_create_items": m0001,
};
