//! The single-page app: built files from the static dir, and `index.html` for every other
//! path so the app's own router can handle deep links (history-API fallback).

use crate::error::AppError;
use actix_files::{Files, NamedFile};
use actix_web::{
    HttpRequest, HttpResponse, ResponseError as _,
    dev::{ServiceRequest, ServiceResponse, fn_service},
};
use std::path::{Path, PathBuf};

/// Serves `dir`, falling back to its `index.html`.
pub fn files(dir: &Path) -> Files {
    let index: PathBuf = dir.join("index.html");
    Files::new("/", dir)
        .index_file("index.html")
        .default_handler(fn_service(move |req: ServiceRequest| {
            let index = index.clone();
            async move {
                let (req, _) = req.into_parts();
                let res = index_response(&req, &index);
                Ok(ServiceResponse::new(req, res))
            }
        }))
}

fn index_response(req: &HttpRequest, index: &Path) -> HttpResponse {
    if req.path().starts_with("/api/") || req.path() == "/api" {
        return AppError::RouteNotFound.error_response();
    }
    match NamedFile::open(index) {
        Ok(file) => file.use_etag(true).into_response(req),
        Err(err) => AppError::internal(format!("index.html: {err}")).error_response(),
    }
}

/// Used instead of `files` when the app has not been built (API-only runs and tests).
pub async fn not_built(req: HttpRequest) -> HttpResponse {
    if req.path().starts_with("/api/") || req.path() == "/api" {
        return AppError::RouteNotFound.error_response();
    }
    HttpResponse::NotFound()
        .content_type("text/plain; charset=utf-8")
        .body("The Teahouse web app is not built. Run `./scripts/run.sh`, or `trunk build` in frontend/.\n")
}
