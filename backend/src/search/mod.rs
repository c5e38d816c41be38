//! Search (issue 16), in Chinese as in English, on SQLite and PostgreSQL alike.
//!
//! Both databases get text already cut by [`tokens`] (CJK as overlapping pairs plus single
//! characters, other scripts as words), so neither database's own word splitting decides
//! what is found: PostgreSQL's parser, for one, keeps a whole run of Chinese as one word
//! under any locale (`to_tsvector('simple', '我家在上海东边')` is one lexeme).
pub mod backfill;
pub mod index;
pub mod routes;
pub mod service;
pub mod tokens;
