//! Content-Security-Policy for the web app and the docs UI.
//!
//! The app's scripts are its own files plus two inline scripts in `index.html` (Trunk's
//! loader and the theme applied before first paint). Those are allowed by their SHA-256,
//! computed from the built `index.html` at start, so no `unsafe-inline` is needed for
//! scripts: an injected `<script>` (or an `onclick=` attribute) does not run.
//! `wasm-unsafe-eval` lets the page compile WebAssembly and nothing else. Styles may be
//! inline (Leptos sets `style` attributes); they cannot run code.

use base64::{Engine as _, engine::general_purpose::STANDARD};
use sha2::{Digest as _, Sha256};
use std::path::Path;

/// What the app's HTML may load and do: the header, built once at start.
#[derive(Clone, Debug)]
pub struct AppCsp(pub actix_web::http::header::HeaderValue);

/// The policy for the vendored Swagger UI at `/api/docs/` (its own scripts and styles,
/// which set inline styles; nothing from elsewhere).
pub const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; font-src 'self' data:; object-src 'none'; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// For JSON and everything else that is not a page: nothing may run or frame it.
pub const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

impl AppCsp {
    /// The policy for the app built in `static_dir` (no hashes when it is not built): the
    /// inline scripts of its `index.html` and of the admin console's `admin/index.html`
    /// (a build of its own, see `spa.rs`).
    pub fn for_app(static_dir: &Path) -> Self {
        let mut index = std::fs::read_to_string(static_dir.join("index.html")).unwrap_or_default();
        index.push_str(
            &std::fs::read_to_string(static_dir.join(super::spa::ADMIN).join("index.html"))
                .unwrap_or_default(),
        );
        Self::for_index(&index)
    }

    pub fn for_index(index: &str) -> Self {
        let policy = Self::policy(index);
        Self(
            actix_web::http::header::HeaderValue::from_str(&policy)
                .unwrap_or_else(|_| actix_web::http::header::HeaderValue::from_static(API_CSP)),
        )
    }

    fn policy(index: &str) -> String {
        let mut scripts = inline_scripts(index);
        scripts.sort_unstable();
        scripts.dedup();
        let hashes: Vec<String> = scripts
            .into_iter()
            .map(|script| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(script))))
            .collect();
        format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{}{}; \
             style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; \
             media-src 'self' blob:; font-src 'self'; connect-src 'self'; worker-src 'self'; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            if hashes.is_empty() { "" } else { " " },
            hashes.join(" ")
        )
    }
}

/// The text of every `<script>` without a `src`, exactly as between the tags (what a
/// browser hashes).
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_and_rest = &after[open_end + 1..];
        let Some(close) = body_and_rest.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            scripts.push(&body_and_rest[..close]);
        }
        rest = &body_and_rest[close + "</script>".len()..];
    }
    scripts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        let csp = AppCsp::policy(
            "<head><script type=\"module\">init()</script><script src=\"/a.js\"></script>\
             <script>\n  theme();\n</script></head>",
        );
        assert!(csp.contains("'sha256-"), "{csp}");
        assert_eq!(csp.matches("'sha256-").count(), 2, "{csp}");
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp.contains("base-uri 'none'"));
        assert!(csp.contains("object-src 'none'"));
        let expected = STANDARD.encode(Sha256::digest("init()"));
        assert!(csp.contains(&expected));
    }
}
