//! The bearer tokens the suite mints: one valid pair and one for every way a token can be wrong.

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Result;
use backend_gen_core::contract::CONTRACT;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

/// Tokens for one service: its secret, issuer and audience.
#[derive(Debug)]
pub struct Tokens {
    pub admin: String,
    pub reader: String,
    pub expired: String,
    pub not_yet_valid: String,
    pub wrong_signature: String,
    pub alg_none: String,
    pub wrong_issuer: String,
    pub wrong_audience: String,
    pub without_exp: String,
    /// Valid, with `roles` a string (`"admin"`) rather than the array the contract names: no role.
    pub roles_not_an_array: String,
}

impl Tokens {
    pub fn mint(secret: &str, issuer: &str, audience: &str) -> Result<Self> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
        let claims = |roles: &[&str]| {
            json!({"sub": "conformance", "iss": issuer, "aud": audience, "iat": now, "exp": now + 600,
                   CONTRACT.jwt.roles_claim: roles})
        };
        let with = |mut claims: Value, key: &str, value: Value| {
            claims[key] = value;
            claims
        };
        let sign = |claims: &Value, key: &str| -> Result<String> {
            Ok(jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(key.as_bytes()))?)
        };
        let admin = claims(&[CONTRACT.jwt.admin_role]);
        let mut without_exp = admin.clone();
        if let Some(map) = without_exp.as_object_mut() {
            map.remove("exp");
        }
        Ok(Self {
            admin: sign(&admin, secret)?,
            reader: sign(&claims(&["reader"]), secret)?,
            expired: sign(&with(admin.clone(), "exp", json!(now - 600)), secret)?,
            not_yet_valid: sign(&with(admin.clone(), "nbf", json!(now + 600)), secret)?,
            wrong_signature: sign(&admin, "another-secret-that-is-long-enough-to-be-valid")?,
            alg_none: unsigned(&admin),
            wrong_issuer: sign(&with(admin.clone(), "iss", json!("someone-else")), secret)?,
            wrong_audience: sign(&with(admin.clone(), "aud", json!("someone-else")), secret)?,
            without_exp: sign(&without_exp, secret)?,
            roles_not_an_array: sign(
                &with(admin.clone(), CONTRACT.jwt.roles_claim, json!(CONTRACT.jwt.admin_role)),
                secret,
            )?,
        })
    }

    /// Every token, to check that none of them reaches the logs.
    pub fn all(&self) -> [&str; 10] {
        [
            &self.admin,
            &self.reader,
            &self.expired,
            &self.not_yet_valid,
            &self.wrong_signature,
            &self.alg_none,
            &self.wrong_issuer,
            &self.wrong_audience,
            &self.without_exp,
            &self.roles_not_an_array,
        ]
    }
}

/// `alg: none` with an empty signature: what a forger sends. No JWT library will make one.
fn unsigned(claims: &Value) -> String {
    format!("{}.{}.", base64url(&json!({"alg": "none", "typ": "JWT"}).to_string()), base64url(&claims.to_string()))
}

fn base64url(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 3);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        let symbols = chunk.len() + 1;
        for i in 0..symbols {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_without_padding() {
        assert_eq!(base64url("a"), "YQ");
        assert_eq!(base64url("ab"), "YWI");
        assert_eq!(base64url("abc"), "YWJj");
        assert_eq!(base64url("{\"alg\":\"none\"}"), "eyJhbGciOiJub25lIn0");
    }

    #[test]
    fn tokens_are_three_part_and_distinct() {
        let tokens = Tokens::mint("s".repeat(64).as_str(), "demo", "demo").expect("mints");
        let all = tokens.all();
        for token in all {
            assert_eq!(token.split('.').count(), 3, "{token}");
        }
        assert!(tokens.alg_none.ends_with('.'));
        let unique: std::collections::BTreeSet<_> = all.iter().collect();
        assert_eq!(unique.len(), all.len());
    }
}
