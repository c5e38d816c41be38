//! Response headers added to everything: the request id, caching, and basic hardening.

use actix_web::{
    Error, HttpMessage as _,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{self, HeaderName, HeaderValue},
    middleware::Next,
};
use tracing_actix_web::RequestId;

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Trunk names built assets `name-<hex hash>.ext`: their content never changes.
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
/// Everything else (index.html above all) is revalidated, so a new build shows at once.
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");
const NO_STORE: HeaderValue = HeaderValue::from_static("no-store");

pub async fn standard_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let request_id = req.extensions().get::<RequestId>().map(|id| id.to_string());
    let is_api = req.path().starts_with("/api/");
    let is_docs = req.path().starts_with("/api/docs");
    let hashed = is_hashed_asset(req.path());
    let app_csp = req
        .app_data::<actix_web::web::Data<super::csp::AppCsp>>()
        .cloned();
    let mut res = next.call(req).await?;
    // The SPA fallback answers any path with index.html: never cache that forever.
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let hashed = hashed && !is_html;
    let headers = res.headers_mut();
    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        headers.insert(X_REQUEST_ID, id);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // Never framed (clickjacking); CSP's frame-ancestors says the same to newer browsers.
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        let policy = if is_docs {
            Some(HeaderValue::from_static(super::csp::DOCS_CSP))
        } else if is_api {
            Some(HeaderValue::from_static(super::csp::API_CSP))
        } else if is_html {
            app_csp.map(|csp| csp.0.clone())
        } else {
            None
        };
        if let Some(policy) = policy {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        let policy = match (is_api, hashed) {
            (true, _) => NO_STORE,
            (false, true) => IMMUTABLE,
            (false, false) => REVALIDATE,
        };
        headers.insert(header::CACHE_CONTROL, policy);
    }
    Ok(res)
}

pub(super) fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, _extension)) = name.split_once('.') else {
        return false;
    };
    let Some((_, hash)) = stem.trim_end_matches("_bg").rsplit_once('-') else {
        return false;
    };
    hash.len() >= 12 && hash.chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn recognises_trunk_asset_names() {
        assert!(is_hashed_asset(
            "/teahouse-frontend-3f2a9c0d1e4b5a67_bg.wasm"
        ));
        assert!(is_hashed_asset("/teahouse-frontend-3f2a9c0d1e4b5a67.js"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(is_hashed_asset("/main-791a62295e1583.css"));
        assert!(!is_hashed_asset("/rooms/cafe-0123456789abcd"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/login"));
    }
}
