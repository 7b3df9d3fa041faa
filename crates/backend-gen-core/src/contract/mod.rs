//! The HTTP contract every generated service serves (`CONTRACT.md`), held once as data.
//!
//! Stacks render these values into their code and tests instead of writing them down again,
//! so a change here reaches every stack at once.

pub mod normal_form;
pub mod openapi;

use serde::Serialize;

/// The whole contract, serialised into every template context as `contract`.
#[derive(Debug, Clone, Serialize)]
pub struct Contract {
    pub paths: Paths,
    pub security_headers: &'static [Header],
    pub cors: Cors,
    pub limits: Limits,
    pub jwt: Jwt,
    pub request_id: RequestId,
    pub items: ItemRules,
    /// The items operations' `operationId`s: generated clients name their methods after them.
    pub operation_ids: OperationIds,
    pub problem: Problem,
}

#[derive(Debug, Clone, Serialize)]
pub struct Paths {
    pub health_live: &'static str,
    pub health_ready: &'static str,
    pub openapi: &'static str,
    pub docs: &'static str,
    pub api_prefix: &'static str,
    pub items: &'static str,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Header {
    pub name: &'static str,
    pub value: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cors {
    pub allow_methods: &'static [&'static str],
    pub allow_headers: &'static [&'static str],
    pub expose_headers: &'static [&'static str],
    pub max_age_seconds: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Limits {
    pub rate_limit_per_minute: u32,
    pub rate_window_seconds: u32,
    pub max_body_bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Jwt {
    pub algorithm: &'static str,
    pub roles_claim: &'static str,
    pub admin_role: &'static str,
    pub min_secret_bytes: usize,
    /// What `.env.example` holds instead of a secret; a service refuses to start with it.
    pub secret_placeholder: &'static str,
    /// The `WWW-Authenticate` challenge of a 401 when no bearer token came (no `Authorization`
    /// header, or another scheme): no error code, as RFC 6750, section 3.1, asks.
    pub bearer_challenge: &'static str,
    /// The challenge of a 401 for a bearer token that was refused (malformed, expired, wrongly
    /// signed, of another issuer or audience): RFC 6750's `invalid_token` error code, section 3.1.
    pub invalid_bearer_challenge: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestId {
    pub header: &'static str,
    /// The values echoed back; anything else is replaced by a fresh id.
    pub pattern: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemRules {
    pub name_max: u32,
    pub description_max: u32,
    pub price_max: u64,
    pub limit_default: u32,
    pub limit_max: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct OperationIds {
    pub list: &'static str,
    pub create: &'static str,
    pub get: &'static str,
    pub replace: &'static str,
    pub delete: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub content_type: &'static str,
    /// RFC 9457 `type` for problems that need no more semantics than their status.
    pub default_type: &'static str,
}

/// The contract's values. `const` so tests and templates read the same numbers.
pub const CONTRACT: Contract = Contract {
    paths: Paths {
        health_live: "/health/live",
        health_ready: "/health/ready",
        openapi: "/openapi.json",
        docs: "/docs",
        api_prefix: "/api/",
        items: "/api/v1/items",
    },
    security_headers: &[
        Header { name: "X-Content-Type-Options", value: "nosniff" },
        Header { name: "X-Frame-Options", value: "DENY" },
        Header { name: "Referrer-Policy", value: "no-referrer" },
        Header { name: "Cross-Origin-Opener-Policy", value: "same-origin" },
        Header { name: "Cross-Origin-Resource-Policy", value: "same-origin" },
        Header { name: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" },
        Header { name: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" },
    ],
    cors: Cors {
        allow_methods: &["GET", "POST", "PUT", "DELETE", "OPTIONS"],
        allow_headers: &["Authorization", "Content-Type", "X-Request-Id"],
        expose_headers: &[
            "Location",
            "X-Request-Id",
            "RateLimit-Limit",
            "RateLimit-Remaining",
            "RateLimit-Reset",
            "Retry-After",
        ],
        max_age_seconds: 600,
    },
    limits: Limits { rate_limit_per_minute: 120, rate_window_seconds: 60, max_body_bytes: 1_048_576 },
    jwt: Jwt {
        algorithm: "HS256",
        roles_claim: "roles",
        admin_role: "admin",
        min_secret_bytes: 32,
        secret_placeholder: "change-me-to-a-random-secret-of-at-least-32-bytes",
        bearer_challenge: r#"Bearer realm="api""#,
        invalid_bearer_challenge: r#"Bearer realm="api", error="invalid_token""#,
    },
    request_id: RequestId { header: "X-Request-Id", pattern: "^[A-Za-z0-9._-]{1,128}$" },
    items: ItemRules {
        name_max: 100,
        description_max: 1000,
        price_max: 100_000_000,
        limit_default: 20,
        limit_max: 100,
    },
    operation_ids: OperationIds {
        list: "listItems",
        create: "createItem",
        get: "getItem",
        replace: "replaceItem",
        delete: "deleteItem",
    },
    problem: Problem { content_type: "application/problem+json", default_type: "about:blank" },
};

/// One environment variable of a generated service, as documented in `.env.example` and its README.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvVar {
    pub name: &'static str,
    /// The value `.env.example` shows; empty means "unset".
    pub example: String,
    pub description: &'static str,
    /// Generated fresh into `.env` for each project; never a shared default.
    pub secret: bool,
}

/// The names of the variables among `vars` that get a fresh secret in `.env`, in order.
pub fn secret_names(vars: &[EnvVar]) -> impl Iterator<Item = &'static str> + '_ {
    vars.iter().filter(|v| v.secret).map(|v| v.name)
}

/// The contract's configuration, with the two values that differ between stacks filled in.
pub fn environment(port: u16, database_example: &str, project_kebab: &str) -> Vec<EnvVar> {
    let var = |name, example: String, description| EnvVar { name, example, description, secret: false };
    vec![
        var("PORT", port.to_string(), "TCP port the service listens on"),
        var("HOST", "127.0.0.1".to_owned(), "bind address; use 0.0.0.0 in a container"),
        var("DATABASE_URL", database_example.to_owned(), "database; a postgresql:// URL switches to PostgreSQL"),
        EnvVar {
            name: "JWT_SECRET",
            example: CONTRACT.jwt.secret_placeholder.to_owned(),
            description: "HS256 key for bearer tokens, at least 32 bytes; the service refuses to start without it",
            secret: true,
        },
        var("JWT_ISSUER", project_kebab.to_owned(), "required `iss` claim of bearer tokens"),
        var("JWT_AUDIENCE", project_kebab.to_owned(), "required `aud` claim of bearer tokens"),
        var("CORS_ORIGINS", String::new(), "comma-separated exact origins allowed cross-origin access"),
        var(
            "RATE_LIMIT_PER_MINUTE",
            CONTRACT.limits.rate_limit_per_minute.to_string(),
            "API requests per client address and minute",
        ),
        var("MAX_BODY_BYTES", CONTRACT.limits.max_body_bytes.to_string(), "larger request bodies are refused with 413"),
        var("LOG_LEVEL", "info".to_owned(), "debug, info, warn or error"),
    ]
}

/// The local PostgreSQL password of the `compose` feature: generated per project like every secret.
pub fn compose_database_password() -> EnvVar {
    EnvVar {
        name: "POSTGRES_PASSWORD",
        example: "change-me".to_owned(),
        description: "password of the local PostgreSQL of docker-compose.yml",
        secret: true,
    }
}
