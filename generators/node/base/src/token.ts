// `npm run token -- --sub dev --roles admin --ttl 1h`: mints a development token signed with
// JWT_SECRET (from the environment or .env), for curl and Swagger UI's "Authorize".

import { parseArgs } from "node:util";
import { SignJWT } from "jose";
import { ConfigError, environment, loadConfig } from "./platform/config.js";
import { JWT_ALGORITHM, PROJECT_NAME, ROLES_CLAIM } from "./platform/contract.js";

const { values } = parseArgs({
  options: {
    sub: { type: "string", default: "dev" },
    roles: { type: "string", default: "" },
    ttl: { type: "string", default: "1h" },
  },
});

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
