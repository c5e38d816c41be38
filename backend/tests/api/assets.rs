//! The app's hashed assets are compressed once (brotli and gzip) and served precompressed
//! to browsers that take it; others get the file as it is.

use crate::helpers::spawn_app_with;
use std::{io::Read as _, path::Path, time::Duration};

const WASM: &str = "teahouse-frontend-0123456789abcdef_bg.wasm";

fn build_fake_app(dir: &Path) -> Vec<u8> {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>t</title>").unwrap();
    // Compressible, like real wasm: repeated structure with some variety.
    let wasm: Vec<u8> = (0..300_000u32)
        .map(|i| (i % 251) as u8 ^ (i / 4096) as u8)
        .collect();
    std::fs::write(dir.join(WASM), &wasm).unwrap();
    wasm
}

async fn wait_for(path: &Path) {
    for _ in 0..200 {
        if path.is_file() {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{} was never written", path.display());
}

#[actix_web::test]
async fn hashed_assets_are_served_precompressed_once() {
    let static_dir = tempfile::tempdir().unwrap();
    let wasm = build_fake_app(static_dir.path());
    let dir = static_dir.path().to_owned();
    let app = spawn_app_with(move |c| c.static_dir = dir).await;
    let cache = app.config.data_dir.join("cache").join("assets");
    wait_for(&cache.join(format!("{WASM}.br"))).await;
    wait_for(&cache.join(format!("{WASM}.gz"))).await;

    let get = |accept: Option<&'static str>| {
        let mut req = app.client.get(app.url(&format!("/{WASM}"))).no_decompress();
        if let Some(accept) = accept {
            req = req.insert_header(("accept-encoding", accept));
        }
        async move {
            let mut res = req.send().await.unwrap();
            let body = res.body().limit(10 << 20).await.unwrap().to_vec();
            let header = |name: &str| {
                res.headers()
                    .get(name)
                    .map(|v| v.to_str().unwrap().to_owned())
            };
            (
                res.status().as_u16(),
                header("content-encoding"),
                header("content-type"),
                header("vary"),
                header("cache-control"),
                body,
            )
        }
    };

    let (status, encoding, kind, vary, cache_control, body) =
        get(Some("gzip, deflate, br, zstd")).await;
    assert_eq!(status, 200);
    assert_eq!(encoding.as_deref(), Some("br"));
    assert_eq!(kind.as_deref(), Some("application/wasm"));
    assert_eq!(vary.as_deref(), Some("accept-encoding"));
    assert!(cache_control.unwrap().contains("immutable"));
    assert!(body.len() < wasm.len() / 4, "{} bytes", body.len());
    let mut plain = Vec::new();
    brotli::Decompressor::new(&body[..], 4096)
        .read_to_end(&mut plain)
        .unwrap();
    assert_eq!(plain, wasm);

    // Brotli refused: gzip.
    let (_, encoding, _, _, _, body) = get(Some("br;q=0, gzip")).await;
    assert_eq!(encoding.as_deref(), Some("gzip"));
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_end(&mut plain)
        .unwrap();
    assert_eq!(plain, wasm);

    // Nothing accepted: the file as it is.
    let (status, encoding, kind, _, _, body) = get(None).await;
    assert_eq!(status, 200);
    assert_eq!(encoding, None);
    assert_eq!(kind.as_deref(), Some("application/wasm"));
    assert_eq!(body, wasm);

    // A second start with the same data reuses the copies rather than compressing again.
    let made = std::fs::metadata(cache.join(format!("{WASM}.br")))
        .unwrap()
        .modified()
        .unwrap();
    teahouse::http::assets::precompress(static_dir.path(), &cache)
        .join()
        .unwrap();
    let after = std::fs::metadata(cache.join(format!("{WASM}.br")))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(made, after);
}
