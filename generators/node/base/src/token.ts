// `npm run token -- --sub dev --roles admin --ttl 1h`: mints a development token signed with
// JWT_SECRET (from the environment or .env), for curl and Swagger UI's "Authorize".

import { parseArgs } from "node:util";
import { SignJWT } from "jose";
import { ConfigError, environment, loadConfig } from "./platform/config.js";
import { JWT_ALGORITHM, PROJECT_NAME, ROLES_CLAIM } from "./platform/contract.js";

const USAGE = `Usage: npm run token -- [--sub SUBJECT] [--roles ROLE,...] [--ttl DURATION]

Prints a token signed with JWT_SECRET (from the environment or .env) that ${PROJECT_NAME} accepts.

  --sub SUBJECT    the token's subject (default: dev)
  --roles ROLES    comma-separated roles, e.g. admin (default: none)
  --ttl DURATION   lifetime: 90s, 30m, 1h, 7d (default: 1h)
  -h, --help       print this help
`;

let values: { sub: string; roles: string; ttl: string; help: boolean };
try {
  values = parseArgs({
    options: {
      sub: { type: "string", default: "dev" },
      roles: { type: "string", default: "" },
      ttl: { type: "string", default: "1h" },
      help: { type: "boolean", short: "h", default: false },
    },
  }).values;
} catch (error) {
  // An unknown option or a missing value: the reason and the usage, not a stack trace.
  process.stderr.write(`${PROJECT_NAME}: ${error instanceof Error ? error.message : "bad arguments"}\n\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

try {
  const config = loadConfig(environment());
  const roles = values.roles
    .split(",")
    .map((r) => r.trim())
    .filter((r) => r !== "");
  const jwt = await new SignJWT({ [ROLES_CLAIM]: roles })
    .setProtectedHeader({ alg: JWT_ALGORITHM, typ: "JWT" })
    .setSubject(values.sub)
    .setIssuer(config.jwtIssuer)
    .setAudience(config.jwtAudience)
    .setIssuedAt()
    .setExpirationTime(values.ttl)
    .sign(new TextEncoder().encode(config.jwtSecret));
  process.stdout.write(`${jwt}\n`);
} catch (error) {
  const message = error instanceof ConfigError ? error.message : error instanceof Error ? error.message : "failed";
  process.stderr.write(`${PROJECT_NAME}: ${message}\n`);
  process.exit(2);
}
