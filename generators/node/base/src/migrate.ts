// `npm run migrate`: brings the database of DATABASE_URL to the latest migration (the service
// also does this before it listens).

import { migrateToLatest } from "./db/migrate.js";
import { ConfigError, environment, parseDatabaseUrl } from "./platform/config.js";
import { DEFAULT_DATABASE_URL, PROJECT_NAME } from "./platform/contract.js";

const problems: string[] = [];
const database = parseDatabaseUrl(environment().DATABASE_URL?.trim() || DEFAULT_DATABASE_URL, problems);
if (problems.length > 0) {
  process.stderr.write(`${PROJECT_NAME}: ${new ConfigError(problems).message}\n`);
  process.exit(2);
}
await migrateToLatest(database);
process.stderr.write(`${PROJECT_NAME}: the database is up to date\n`);
