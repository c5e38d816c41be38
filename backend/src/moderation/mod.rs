//! Keeping the server clean: the sensitive-word filter (`filter.rs` matches, `service.rs`
//! applies the policies and logs hits), the word lists staff manage, the audit log, and
//! site roles (`staff.rs`).

pub mod audit;
pub mod audit_log;
pub mod filter;
pub mod people;
pub mod reports;
pub mod routes;
pub mod service;
pub mod staff;
pub mod store;

use api::moderation::WordPolicies;
use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

/// The enabled lists, compiled, with what a hit needs to be named.
#[derive(Debug, Default)]
pub struct Lists {
    pub filter: filter::Filter,
    /// Word id → (the word as entered, its list).
    pub words: HashMap<i64, (String, i64)>,
    /// List id → name.
    pub categories: HashMap<i64, String>,
}

/// The filter's state, shared by every worker: swapped whole when staff change a list
/// or a policy, so a check never sees half a change.
#[derive(Debug, Default)]
pub struct Moderation {
    lists: RwLock<Arc<Lists>>,
    policies: RwLock<WordPolicies>,
}

impl Moderation {
    /// The lists as they are now (cheap: one `Arc`).
    pub fn lists(&self) -> Arc<Lists> {
        match self.lists.read() {
            Ok(lists) => lists.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn set_lists(&self, lists: Lists) {
        let lists = Arc::new(lists);
        match self.lists.write() {
            Ok(mut slot) => *slot = lists,
            Err(poisoned) => *poisoned.into_inner() = lists,
        }
    }

    pub fn policies(&self) -> WordPolicies {
        match self.policies.read() {
            Ok(p) => *p,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }

    pub fn set_policies(&self, policies: WordPolicies) {
        match self.policies.write() {
            Ok(mut slot) => *slot = policies,
            Err(poisoned) => *poisoned.into_inner() = policies,
        }
    }
}
