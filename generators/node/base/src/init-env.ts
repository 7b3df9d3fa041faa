// `npm run init-env`: writes `.env` from `.env.example` with fresh secrets, for a project that has
// none; never overwrites a `.env`. It reads no configuration: it makes the JWT_SECRET the
// configuration would refuse to start without.

import { parseArgs } from "node:util";
import { PROJECT_NAME } from "./platform/contract.js";
import { InitEnvRefusedError, initEnv } from "./platform/dotenv.js";

const USAGE = `Usage: npm run init-env

Writes .env from .env.example, with a fresh random value for each secret, readable by you only.
Refuses (exit 2) when .env exists: delete it first to generate new secrets.
`;

let help: boolean;
try {
  help = parseArgs({ options: { help: { type: "boolean", short: "h", default: false } } }).values.help;
} catch (error) {
  process.stderr.write(`${PROJECT_NAME}: ${error instanceof Error ? error.message : "bad arguments"}\n\n${USAGE}`);
  process.exit(2);
}
if (help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

try {
  process.stdout.write(`${initEnv(process.cwd())}\n`);
} catch (error) {
  if (!(error instanceof InitEnvRefusedError)) throw error;
  process.stderr.write(`${PROJECT_NAME}: ${error.message}\n`);
  process.exit(2);
}
