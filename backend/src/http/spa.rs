//! The single-page app: built files from the static dir, and `index.html` for every other
//! path so the app's own router can handle deep links (history-API fallback).
//!
//! The admin console is a second build of the same app with the console compiled in
//! (`--features admin`), in `<static dir>/admin/`: everything under `/admin` is served
//! from there, so the app most people load never carries the console's code.

use crate::error::AppError;
use actix_files::{Files, NamedFile};
use actix_web::{
    HttpRequest, HttpResponse, ResponseError as _,
    dev::{ServiceRequest, ServiceResponse, fn_service},
};
use std::path::{Path, PathBuf};

/// Where the admin console's build lives under the static dir, and its path.
pub const ADMIN: &str = "admin";

/// The admin console's build, when there is one: `/admin…` from `dir/admin`.
pub fn admin_files(dir: &Path) -> Option<Files> {
    let admin = dir.join(ADMIN);
    admin
        .join("index.html")
        .is_file()
        .then(|| files_at(&format!("/{ADMIN}"), &admin))
}

/// Serves `dir`, falling back to its `index.html`.
pub fn files(dir: &Path) -> Files {
    files_at("/", dir)
}

fn files_at(mount: &str, dir: &Path) -> Files {
    let index: PathBuf = dir.join("index.html");
    Files::new(mount, dir)
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
