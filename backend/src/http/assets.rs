//! Precompressed copies of the app's hashed assets (the wasm, its JS glue, the CSS).
//!
//! Each is compressed once, with brotli at its best setting and gzip at level 9, into
//! `<data_dir>/cache/assets/` by a background thread at start, and served from there to
//! browsers that accept it, instead of being compressed again for every request (the
//! `Compress` middleware uses fast settings and spends CPU on each download). A hashed name
//! never changes content, so a copy made by an earlier start is reused as it is; until the
//! copies exist, requests are served as before.

use super::headers::is_hashed_asset;
use actix_files::NamedFile;
use actix_web::{
    Error, HttpResponse,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::{
        Method,
        header::{self, ContentEncoding, HeaderValue},
    },
    middleware::Next,
};
use std::{
    io::Write as _,
    path::{Path, PathBuf},
};

/// What is worth compressing (images and fonts are compressed already).
const COMPRESSIBLE: [&str; 5] = ["wasm", "js", "css", "svg", "json"];

/// Where the compressed copies live.
#[derive(Clone)]
pub struct AssetCache(pub PathBuf);

/// The copies' directory under the data directory.
pub fn cache_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("cache").join("assets")
}

/// Compresses, in a thread of its own, every hashed asset of `static_dir` that has no copy
/// in `cache` yet. Returns at once; the thread's handle is for tests that wait for it.
pub fn precompress(static_dir: &Path, cache: &Path) -> std::thread::JoinHandle<()> {
    let (static_dir, cache) = (static_dir.to_owned(), cache.to_owned());
    std::thread::spawn(move || {
        let Ok(entries) = std::fs::read_dir(&static_dir) else {
            return;
        };
        if let Err(err) = std::fs::create_dir_all(&cache) {
            tracing::warn!(%err, dir = %cache.display(), "cannot cache compressed assets");
            return;
        }
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let compressible = Path::new(&name)
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| COMPRESSIBLE.contains(&e));
            if !compressible || !is_hashed_asset(&name) {
                continue;
            }
            let started = std::time::Instant::now();
            match compress_one(&entry.path(), &cache, &name) {
                Ok(true) => tracing::info!(
                    asset = %name,
                    ms = started.elapsed().as_millis() as u64,
                    "asset precompressed"
                ),
                Ok(false) => {}
                Err(err) => tracing::warn!(%err, asset = %name, "asset not precompressed"),
            }
        }
    })
}

/// Writes `<name>.br` and `<name>.gz` unless both exist. Each is written to a temporary
/// name first and renamed, so a half-written copy is never served.
fn compress_one(source: &Path, cache: &Path, name: &str) -> std::io::Result<bool> {
    let (br, gz) = (
        cache.join(format!("{name}.br")),
        cache.join(format!("{name}.gz")),
    );
    if br.is_file() && gz.is_file() {
        return Ok(false);
    }
    let data = std::fs::read(source)?;
    write_atomically(&br, &brotli(&data, window_bits(data.len()))?)?;
    let mut gzip = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 3),
        flate2::Compression::best(),
    );
    gzip.write_all(&data)?;
    write_atomically(&gz, &gzip.finish()?)?;
    Ok(true)
}

/// `data` in brotli at its best setting, with a window of `lgwin` bits.
fn brotli(data: &[u8], lgwin: i32) -> std::io::Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin,
        size_hint: data.len(),
        ..Default::default()
    };
    let mut out = Vec::with_capacity(data.len() / 3);
    brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
    Ok(out)
}

/// The smallest brotli window that holds all of a file of `len` bytes (brotli's largest,
/// 16 MiB, for anything bigger). A window wider than the file compresses no better, and
/// at quality 11 the encoder's match finder takes memory in proportion to the window:
/// with a 16 MiB window, precompressing the 2.2 MB app on a first start left the server
/// holding ≈ 140–190 MB more than it needed (docs/BENCHMARKS.md).
fn window_bits(len: usize) -> i32 {
    // A window of `bits` holds 2^bits − 16 bytes.
    let mut bits = 10;
    while bits < 24 && (1usize << bits) - 16 < len {
        bits += 1;
    }
    bits
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temporary = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

/// The encodings a request accepts, best first: brotli, then gzip (a `q=0` refuses one).
fn accepted(req: &ServiceRequest) -> Vec<(ContentEncoding, &'static str)> {
    let Some(accept) = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return Vec::new();
    };
    let takes = |wanted: &str| {
        accept.split(',').any(|part| {
            let mut pieces = part.split(';');
            let coding = pieces.next().unwrap_or_default().trim();
            let refused = pieces.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            coding.eq_ignore_ascii_case(wanted) && !refused
        })
    };
    let mut out = Vec::new();
    if takes("br") {
        out.push((ContentEncoding::Brotli, "br"));
    }
    if takes("gzip") {
        out.push((ContentEncoding::Gzip, "gz"));
    }
    out
}

/// Serves a hashed asset's precompressed copy when the browser accepts one and it exists;
/// everything else goes on as before.
pub async fn serve_precompressed(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let wanted = (req.method() == Method::GET || req.method() == Method::HEAD)
        && !req.path().starts_with("/api/")
        && is_hashed_asset(req.path());
    let cache = req.app_data::<actix_web::web::Data<AssetCache>>().cloned();
    if let (true, Some(cache)) = (wanted, cache) {
        let name = req.path().rsplit('/').next().unwrap_or_default().to_owned();
        let original = mime_guess::from_path(&name).first_or_octet_stream();
        for (encoding, suffix) in accepted(&req) {
            let copy = cache.0.join(format!("{name}.{suffix}"));
            let Ok(file) = NamedFile::open(&copy) else {
                continue;
            };
            let (http_req, _) = req.into_parts();
            let mut res: HttpResponse = file
                .set_content_type(original)
                .set_content_encoding(encoding)
                .disable_content_disposition()
                .use_last_modified(true)
                .into_response(&http_req);
            res.headers_mut()
                .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            return Ok(ServiceResponse::new(http_req, res));
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::{brotli, window_bits};

    #[test]
    fn the_brotli_window_fits_the_file() {
        assert_eq!(window_bits(0), 10);
        assert_eq!(window_bits(1_000), 10);
        assert_eq!(window_bits(1_009), 11);
        assert_eq!(window_bits(2_000_000), 21);
        assert_eq!(window_bits(2_097_136), 21);
        assert_eq!(window_bits(2_097_137), 22);
        assert_eq!(window_bits(100_000_000), 24);
    }

    #[test]
    fn a_fitted_window_compresses_as_well_as_the_widest() {
        // A block that does not compress, twice: the second copy shrinks only if the
        // window reaches back to the first, i.e. holds the whole file.
        let mut block = Vec::with_capacity(150_000);
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        while block.len() < 150_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            block.extend_from_slice(&x.to_le_bytes());
        }
        let data = [block.as_slice(), block.as_slice()].concat();
        let fitted = brotli(&data, window_bits(data.len())).unwrap();
        let widest = brotli(&data, 24).unwrap();
        assert!(
            fitted.len() <= widest.len() + widest.len() / 1000,
            "fitted {} vs widest {}",
            fitted.len(),
            widest.len()
        );
        // The repeat was found: little more than one block's worth.
        assert!(
            fitted.len() < block.len() + block.len() / 10,
            "{}",
            fitted.len()
        );
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &fitted[..], &mut back).unwrap();
        assert_eq!(back, data);
    }
}
