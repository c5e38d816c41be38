//! The sensitive-word filter's cost: a 50,000-word list, a 4,000-character message.
//! `cargo bench -p teahouse --bench filter` prints the figures (docs/BENCHMARKS.md).

// A benchmark prints its figures.
#![allow(clippy::print_stdout)]

use rand::{Rng, SeedableRng, rngs::StdRng};

// The server's allocator, so the figures are the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Instant;
use teahouse::moderation::filter::{Filter, Word, mask, normalise_word};

/// Common Han characters (CJK Unified Ideographs, the first block of everyday ones).
fn han(rng: &mut StdRng) -> char {
    char::from_u32(rng.random_range(0x4E00..0x6FFF)).unwrap_or('中')
}

fn main() {
    let mut rng = StdRng::seed_from_u64(15);
    // 45,000 Chinese words of 2–4 characters and 5,000 Latin ones of 4–9 letters.
    let mut words: Vec<String> = (0..45_000)
        .map(|_| {
            let n = rng.random_range(2..=4);
            (0..n).map(|_| han(&mut rng)).collect()
        })
        .collect();
    words.extend((0..5_000).map(|_| {
        let n = rng.random_range(4..=9);
        (0..n)
            .map(|_| char::from(rng.random_range(b'a'..=b'z')))
            .collect::<String>()
    }));
    let started = Instant::now();
    let filter = Filter::build(words.iter().enumerate().map(|(i, w)| Word {
        id: i as i64,
        text: w,
        category_id: 1,
        allow: i % 100 == 99,
    }))
    .unwrap_or_default();
    let build = started.elapsed();

    // A 4,000-character message: Chinese prose with punctuation, some English, and a few
    // listed words spread through it, one of them with a space inside.
    let mut text = String::new();
    while text.chars().count() < 3_900 {
        match rng.random_range(0..20) {
            0 => text.push('，'),
            1 => text.push_str(" hello world "),
            _ => text.push(han(&mut rng)),
        }
    }
    for w in words.iter().step_by(9_000) {
        let at = text
            .char_indices()
            .nth(rng.random_range(0..3_800))
            .map_or(0, |(i, _)| i);
        text.insert_str(at, w);
    }
    text.insert_str(
        0,
        &words[7].chars().flat_map(|c| [c, ' ']).collect::<String>(),
    );
    let text: String = text.chars().take(4_000).collect();
    let chars = text.chars().count();

    let rounds = 2_000;
    let mut times = Vec::with_capacity(rounds);
    let mut found = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let hits = filter.find(&text);
        times.push(t.elapsed().as_nanos() as f64 / 1000.0);
        found = hits.len();
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let mut normal_times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        std::hint::black_box(normalise_word(&text));
        normal_times.push(t.elapsed().as_nanos() as f64 / 1000.0);
    }
    normal_times.sort_by(|a, b| a.total_cmp(b));
    let hits = filter.find(&text);
    let t = Instant::now();
    let masked = mask(&text, &hits);
    let mask_us = t.elapsed().as_nanos() as f64 / 1000.0;

    // A message with nothing listed in it, as most are.
    let clean: String = "今天下午三点在图书馆开会，记得带上笔记本。See you there! "
        .repeat(80)
        .chars()
        .take(4_000)
        .collect();
    let mut clean_times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        let hits = filter.find(&clean);
        clean_times.push(t.elapsed().as_nanos() as f64 / 1000.0);
        std::hint::black_box(hits);
    }
    clean_times.sort_by(|a, b| a.total_cmp(b));

    println!("words in the list:        {}", words.len());
    println!(
        "compile:                  {:.1} ms",
        build.as_secs_f64() * 1000.0
    );
    println!("message:                  {chars} characters, {found} hits");
    println!(
        "find (random text):       median {:.1} µs, p99 {:.1} µs",
        times[rounds / 2],
        times[rounds * 99 / 100]
    );
    println!(
        "find (clean text):        median {:.1} µs, p99 {:.1} µs",
        clean_times[rounds / 2],
        clean_times[rounds * 99 / 100]
    );
    println!(
        "normalise alone:          median {:.1} µs",
        normal_times[rounds / 2]
    );
    println!(
        "mask:                     {mask_us:.1} µs ({} bytes)",
        masked.len()
    );
}
