// The service's entry point: configuration, migrations, then listen; SIGTERM stops it gracefully.

import { buildApp } from "./app.js";
import { createDatabase } from "./db/database.js";
import { migrateToLatest } from "./db/migrate.js";
import { ConfigError, environment, loadConfig } from "./platform/config.js";
import { PROJECT_NAME } from "./platform/contract.js";

/** How long requests in flight may take to finish after SIGTERM. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

const USAGE = `Usage: node dist/main.js (npm start; npm run dev reloads on changes)

Serves ${PROJECT_NAME}: migrations first, then HTTP on HOST:PORT. Configuration comes from the
environment and .env (see the README). A development token: npm run token -- --help.
`;

async function main(): Promise<void> {
  // Any argument is a question (--help, a typo): answer it rather than start the service.
  if (process.argv.length > 2) {
    const help = process.argv.slice(2).every((arg) => arg === "--help" || arg === "-h");
    (help ? process.stdout : process.stderr).write(USAGE);
    process.exit(help ? 0 : 2);
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(environment());
  } catch (error) {
    if (error instanceof ConfigError) {
      // Stderr: stdout carries JSON log lines only. The lines name variables, never values.
      process.stderr.write(`${PROJECT_NAME}: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  await migrateToLatest(config.database);
  const app = await buildApp({ config, db: createDatabase(config.database) });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      app.log.info({ signal }, "shutting down");
      // Requests still running after this are cut off rather than holding the process forever.
      setTimeout(() => {
        app.log.error("graceful shutdown timed out");
        process.exit(1);
      }, SHUTDOWN_TIMEOUT_MS).unref();
      // Finishes requests in flight, then the onClose hooks close the database pool.
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  await app.listen({ host: config.host, port: config.port });
}

main().catch((error: unknown) => {
  // Errors before logging is set up (an unreachable database, a failed migration): their names, not values.
  // Each cause's message (an unreachable host, a refused login) without its stack.
  const messages: string[] = [];
  for (let cause: unknown = error; cause instanceof Error && messages.length < 5; cause = cause.cause) {
    messages.push(cause.message);
  }
  const message = messages.join(": ") || "unknown error";
  process.stderr.write(`${PROJECT_NAME}: cannot start: ${message}\n`);
  process.exit(1);
});
