//! The filter's rules: which policy applies where, what a hit does, and the staff's
//! management of lists, policies and roles.

use super::{
    audit::{self, Entry, action},
    filter, staff, store,
};
use crate::{
    auth::AuthUser,
    entities::{room, user, word, word_category},
    error::{AppError, AppResult},
    realtime::events,
    state::AppState,
};
use api::{
    ErrorCode, FieldCode, RoomId, UserId,
    moderation::{
        AddWords, CheckText, CreateWordCategory, EditWordCategory, ListedWord, TestHit, TestText,
        TextCheck, TextTest, WordCategory, WordMatch, WordPage, WordPolicies, WordPolicy,
        WordsAdded,
    },
    users::Role,
    ws::RoomEvent,
};
use sea_orm::{
    ActiveModelTrait as _, ActiveValue::Set, ColumnTrait as _, EntityTrait, QueryFilter as _,
};
use std::collections::{BTreeMap, HashSet};
use time::OffsetDateTime;

/// The longest word a list takes, in characters.
pub const WORD_MAX: usize = 64;
/// The longest list name.
pub const LIST_NAME_MAX: usize = 64;
/// The most words one import or addition takes.
pub const IMPORT_MAX_WORDS: usize = 100_000;
/// The largest file an import takes, in bytes.
pub const IMPORT_MAX_BYTES: usize = 8 * 1024 * 1024;
/// The largest page of a list.
const WORD_PAGE_MAX: u64 = 200;

/// What a text is, for the filter: the name of its field in errors and in the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// A message (sent or edited): Markdown, so masking escapes its `*`.
    Body,
    RoomName,
    RoomDescription,
    PostTitle,
    DisplayName,
    Bio,
    Announcement,
}

impl Field {
    /// The request field it comes in.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Body | Self::Announcement => "body",
            Self::RoomName => "name",
            Self::RoomDescription => "description",
            Self::PostTitle => "title",
            Self::DisplayName => "display_name",
            Self::Bio => "bio",
        }
    }

    /// Its name in the audit log.
    fn logged(self) -> &'static str {
        match self {
            Self::Body => "message",
            Self::Announcement => "announcement",
            Self::RoomName => "room_name",
            Self::RoomDescription => "room_description",
            Self::PostTitle => "topic_title",
            Self::DisplayName => "display_name",
            Self::Bio => "bio",
        }
    }

    fn markdown(self) -> bool {
        matches!(self, Self::Body | Self::Announcement)
    }
}

/// The policy in force for a room whose stored choice is `stored` (`None`: not a room,
/// or no choice: the server's default).
pub fn policy_for(state: &AppState, stored: Option<&str>) -> WordPolicy {
    state
        .moderation
        .policies()
        .effective(stored.and_then(WordPolicy::parse))
}

/// Applies `policy` to `text`: unchanged when clean or under `warn`, masked under `mask`,
/// 422 `content_blocked` under `block`. Every hit is logged.
pub async fn screen(
    state: &AppState,
    actor: UserId,
    room: Option<RoomId>,
    policy: WordPolicy,
    field: Field,
    text: String,
) -> AppResult<String> {
    if policy == WordPolicy::Off {
        return Ok(text);
    }
    let lists = state.moderation.lists();
    if lists.filter.is_empty() {
        return Ok(text);
    }
    let hits = lists.filter.find(&text);
    if hits.is_empty() {
        return Ok(text);
    }
    log_hits(
        state,
        actor,
        room,
        policy,
        field,
        action::FILTER_HIT,
        &lists,
        &text,
        &hits,
    )
    .await?;
    match policy {
        WordPolicy::Off | WordPolicy::Warn => Ok(text),
        WordPolicy::Mask if field.markdown() => Ok(filter::mask(&text, &hits).replace('*', "\\*")),
        WordPolicy::Mask => Ok(filter::mask(&text, &hits)),
        WordPolicy::Block => Err(AppError::ContentBlocked {
            field: field.as_str(),
            matches: matches(&text, &hits),
        }),
    }
}

fn matches(text: &str, hits: &[filter::Hit]) -> Vec<WordMatch> {
    hits.iter()
        .map(|h| WordMatch {
            text: text[h.start..h.end].to_owned(),
            start: h.start,
            end: h.end,
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn log_hits(
    state: &AppState,
    actor: UserId,
    room: Option<RoomId>,
    policy: WordPolicy,
    field: Field,
    what: &str,
    lists: &super::Lists,
    text: &str,
    hits: &[filter::Hit],
) -> AppResult<()> {
    let words: Vec<serde_json::Value> = hits
        .iter()
        .map(|h| {
            let (word, category) = lists.words.get(&h.word_id).cloned().unwrap_or_default();
            serde_json::json!({
                "word": word,
                "category": lists.categories.get(&category).cloned().unwrap_or_default(),
                "matched": &text[h.start..h.end],
            })
        })
        .collect();
    audit::record(
        &state.db,
        Entry {
            actor: Some(actor),
            action: what,
            room,
            target_user: Some(actor),
            details: serde_json::json!({
                "field": field.logged(),
                "policy": policy.as_str(),
                "words": words,
            }),
        },
    )
    .await
}

/// The composer's check before sending: the policy where the text goes and the words it
/// holds (none under `off`). A hit under `warn` is logged even if the text is then edited.
pub async fn check(state: &AppState, auth: &AuthUser, req: CheckText) -> AppResult<TextCheck> {
    if req.text.chars().count() > api::rules::MESSAGE_MAX {
        return Err(AppError::field("text", FieldCode::Length));
    }
    let policy = match req.room_id {
        Some(room_id) => {
            crate::rooms::service::require_member(&state.db, room_id, auth.user_id).await?;
            let room = room::Entity::find_by_id(room_id.0)
                .one(&state.db)
                .await?
                .ok_or(AppError::NotFound)?;
            policy_for(state, room.word_policy.as_deref())
        }
        None => state.moderation.policies().effective(None),
    };
    if policy == WordPolicy::Off {
        return Ok(TextCheck {
            policy,
            matches: Vec::new(),
        });
    }
    let lists = state.moderation.lists();
    let hits = lists.filter.find(&req.text);
    if !hits.is_empty() {
        log_hits(
            state,
            auth.user_id,
            req.room_id,
            policy,
            Field::Body,
            action::FILTER_WARNED,
            &lists,
            &req.text,
            &hits,
        )
        .await?;
    }
    Ok(TextCheck {
        policy,
        matches: matches(&req.text, &hits),
    })
}

/// A room's owner chooses its policy, no milder than the server's minimum.
pub async fn set_room_policy(
    state: &AppState,
    auth: &AuthUser,
    room_id: RoomId,
    policy: Option<WordPolicy>,
) -> AppResult<api::rooms::Room> {
    let member =
        crate::rooms::service::require_group_member(&state.db, room_id, auth.user_id).await?;
    crate::rooms::service::require_role(&member, api::rooms::RoomRole::is_owner)?;
    if let Some(chosen) = policy
        && chosen < state.moderation.policies().minimum
    {
        return Err(AppError::field("policy", FieldCode::BelowMinimum));
    }
    store_room_policy(state, auth.user_id, room_id, policy).await
}

/// Writes a room's policy, tells its members (`room_edited`) and logs it as `actor`'s
/// doing; the caller checked that they may.
pub async fn store_room_policy(
    state: &AppState,
    actor: UserId,
    room_id: RoomId,
    policy: Option<WordPolicy>,
) -> AppResult<api::rooms::Room> {
    let txn = crate::db::write_txn(&state.db).await?;
    let room = room::Entity::update(room::ActiveModel {
        id: Set(room_id.0),
        word_policy: Set(policy.map(|p| p.as_str().to_owned())),
        updated_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    let card = crate::rooms::to_room(
        &room,
        crate::rooms::store::member_count(&txn, room_id).await?,
    );
    let published =
        events::record(&txn, room_id, RoomEvent::RoomEdited { room: card.clone() }).await?;
    audit::record(
        &txn,
        Entry {
            actor: Some(actor),
            action: action::ROOM_WORD_POLICY_SET,
            room: Some(room_id),
            target_user: None,
            details: serde_json::json!({ "policy": policy.map(WordPolicy::as_str) }),
        },
    )
    .await?;
    txn.commit().await?;
    state.hub.publish(vec![published]).await;
    Ok(card)
}

/// Rebuilds the compiled lists after a change.
async fn reload(state: &AppState) -> AppResult<()> {
    let lists = store::load_lists(&state.db).await?;
    state.moderation.set_lists(lists);
    state.hub.reload(crate::realtime::bus::Reload::Moderation);
    Ok(())
}

/// Another instance changed the lists or policies: both are read again.
pub async fn reload_from_database(state: &AppState) -> AppResult<()> {
    state
        .moderation
        .set_policies(store::policies(&state.db).await?);
    state
        .moderation
        .set_lists(store::load_lists(&state.db).await?);
    Ok(())
}

/// Loads the lists and policies at start.
pub async fn load(db: &sea_orm::DatabaseConnection) -> AppResult<super::Moderation> {
    let moderation = super::Moderation::default();
    moderation.set_policies(store::policies(db).await?);
    let lists = store::load_lists(db).await?;
    tracing::info!(words = lists.words.len(), "word lists loaded");
    moderation.set_lists(lists);
    Ok(moderation)
}

pub async fn policies(state: &AppState, auth: &AuthUser) -> AppResult<WordPolicies> {
    staff::require_staff(&state.db, auth).await?;
    Ok(state.moderation.policies())
}

pub async fn set_policies(
    state: &AppState,
    auth: &AuthUser,
    policies: WordPolicies,
) -> AppResult<WordPolicies> {
    staff::require_admin(&state.db, auth).await?;
    if policies.default < policies.minimum {
        return Err(AppError::field("default", FieldCode::BelowMinimum));
    }
    store::save_policies(&state.db, policies).await?;
    audit::record(
        &state.db,
        Entry {
            actor: Some(auth.user_id),
            action: action::WORD_POLICIES_SET,
            room: None,
            target_user: None,
            details: serde_json::to_value(policies).unwrap_or_default(),
        },
    )
    .await?;
    state.moderation.set_policies(policies);
    state.hub.reload(crate::realtime::bus::Reload::Moderation);
    Ok(policies)
}

pub async fn categories(state: &AppState, auth: &AuthUser) -> AppResult<Vec<WordCategory>> {
    staff::require_staff(&state.db, auth).await?;
    Ok(store::categories(&state.db).await?)
}

fn parse_list_name(raw: &str) -> AppResult<String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(AppError::field("name", FieldCode::Required));
    }
    if name.chars().count() > LIST_NAME_MAX {
        return Err(AppError::field("name", FieldCode::Length));
    }
    if name.chars().any(char::is_control) {
        return Err(AppError::field("name", FieldCode::InvalidChars));
    }
    Ok(name.to_owned())
}

fn name_taken() -> AppError {
    AppError::Rule {
        code: ErrorCode::NameTaken,
        message: "a word list with this name exists",
    }
}

pub async fn create_category(
    state: &AppState,
    auth: &AuthUser,
    req: CreateWordCategory,
) -> AppResult<WordCategory> {
    staff::require_admin(&state.db, auth).await?;
    let name = parse_list_name(&req.name)?;
    let category = word_category::ActiveModel {
        name: Set(name.clone()),
        enabled: Set(false),
        allow: Set(req.allow),
        created_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(&state.db)
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => name_taken(),
        _ => e.into(),
    })?;
    audit::record(
        &state.db,
        Entry {
            actor: Some(auth.user_id),
            action: action::WORD_LIST_CREATED,
            room: None,
            target_user: None,
            details: serde_json::json!({ "list": name, "allow": req.allow }),
        },
    )
    .await?;
    Ok(store::to_category(&category, 0))
}

async fn existing_category(state: &AppState, id: i64) -> AppResult<word_category::Model> {
    store::category(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn edit_category(
    state: &AppState,
    auth: &AuthUser,
    id: i64,
    req: EditWordCategory,
) -> AppResult<WordCategory> {
    staff::require_admin(&state.db, auth).await?;
    let current = existing_category(state, id).await?;
    let mut change = word_category::ActiveModel {
        id: Set(id),
        ..Default::default()
    };
    if let Some(name) = &req.name {
        change.name = Set(parse_list_name(name)?);
    }
    if let Some(enabled) = req.enabled {
        change.enabled = Set(enabled);
    }
    let updated = if change.is_changed() {
        word_category::Entity::update(change)
            .exec(&state.db)
            .await
            .map_err(|e| match e.sql_err() {
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => name_taken(),
                _ => e.into(),
            })?
    } else {
        current.clone()
    };
    audit::record(
        &state.db,
        Entry {
            actor: Some(auth.user_id),
            action: action::WORD_LIST_EDITED,
            room: None,
            target_user: None,
            details: serde_json::json!({
                "list": updated.name,
                "was": current.name,
                "enabled": updated.enabled,
            }),
        },
    )
    .await?;
    if current.enabled != updated.enabled {
        reload(state).await?;
    }
    Ok(store::to_category(
        &updated,
        store::word_count(&state.db, id).await?,
    ))
}

pub async fn delete_category(state: &AppState, auth: &AuthUser, id: i64) -> AppResult<()> {
    staff::require_admin(&state.db, auth).await?;
    let current = existing_category(state, id).await?;
    let txn = crate::db::write_txn(&state.db).await?;
    word::Entity::delete_many()
        .filter(word::Column::CategoryId.eq(id))
        .exec(&txn)
        .await?;
    word_category::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        Entry {
            actor: Some(auth.user_id),
            action: action::WORD_LIST_DELETED,
            room: None,
            target_user: None,
            details: serde_json::json!({ "list": current.name }),
        },
    )
    .await?;
    txn.commit().await?;
    if current.enabled {
        reload(state).await?;
    }
    Ok(())
}

pub async fn words(
    state: &AppState,
    auth: &AuthUser,
    category: i64,
    after: Option<i64>,
    query: Option<String>,
) -> AppResult<WordPage> {
    staff::require_staff(&state.db, auth).await?;
    existing_category(state, category).await?;
    let query = query.map(|q| filter::normalise_word(&q));
    let rows = store::words(
        &state.db,
        category,
        after,
        query.as_deref(),
        WORD_PAGE_MAX + 1,
    )
    .await?;
    let more = rows.len() as u64 > WORD_PAGE_MAX;
    let words: Vec<ListedWord> = rows
        .into_iter()
        .take(WORD_PAGE_MAX as usize)
        .map(|w| ListedWord {
            id: w.id,
            category_id: w.category_id,
            word: w.word,
            normalised: w.normalised,
        })
        .collect();
    Ok(WordPage {
        next: more.then(|| words.last().map(|w| w.id)).flatten(),
        words,
    })
}

/// Words ready to store, `(as entered, normalised)`, and how many were duplicates and
/// how many skipped.
struct Prepared {
    words: Vec<(String, String)>,
    duplicates: u64,
    skipped: u64,
}

/// The words of an addition or an import, checked and normalised: every entry at most
/// `WORD_MAX` characters without control characters (else 422 naming the entry as
/// `words[i]`, counting from 0); blank and punctuation-only entries are skipped.
fn prepare(entries: impl IntoIterator<Item = String>) -> AppResult<Prepared> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let (mut duplicates, mut skipped) = (0, 0);
    let mut problems = BTreeMap::new();
    for (i, raw) in entries.into_iter().enumerate() {
        if i >= IMPORT_MAX_WORDS {
            return Err(AppError::field("words", FieldCode::Length));
        }
        let entry = raw.trim();
        // A comment is skipped whatever its length (a list file's header may be long).
        if entry.starts_with('#') {
            skipped += 1;
            continue;
        }
        if entry.chars().count() > WORD_MAX {
            problems.insert(format!("words[{i}]"), FieldCode::Length);
        } else if entry.chars().any(|c| c.is_control() || c == '\0') {
            problems.insert(format!("words[{i}]"), FieldCode::InvalidChars);
        }
        if problems.len() >= 20 {
            break;
        }
        let normal = filter::normalise_word(entry);
        if normal.is_empty() {
            skipped += 1;
        } else if !seen.insert(normal.clone()) {
            duplicates += 1;
        } else {
            out.push((entry.to_owned(), normal));
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    Ok(Prepared {
        words: out,
        duplicates,
        skipped,
    })
}

pub async fn add_words(
    state: &AppState,
    auth: &AuthUser,
    category: i64,
    req: AddWords,
) -> AppResult<WordsAdded> {
    staff::require_admin(&state.db, auth).await?;
    let list = existing_category(state, category).await?;
    insert_words(state, auth, &list, prepare(req.words)?).await
}

async fn insert_words(
    state: &AppState,
    auth: &AuthUser,
    list: &word_category::Model,
    Prepared {
        words,
        duplicates,
        skipped,
    }: Prepared,
) -> AppResult<WordsAdded> {
    let offered = words.len() as u64;
    let txn = crate::db::write_txn(&state.db).await?;
    let added = store::add_words(&txn, list.id, words).await?;
    audit::record(
        &txn,
        Entry {
            actor: Some(auth.user_id),
            action: action::WORDS_ADDED,
            room: None,
            target_user: None,
            details: serde_json::json!({ "list": list.name, "added": added }),
        },
    )
    .await?;
    txn.commit().await?;
    if list.enabled && added > 0 {
        reload(state).await?;
    }
    Ok(WordsAdded {
        added,
        duplicates: duplicates + offered.saturating_sub(added),
        skipped,
    })
}

/// A file of words: one per line, or CSV whose first column is the word (a header line
/// `word` is skipped). Must be UTF-8 (a byte-order mark is allowed).
pub async fn import(
    state: &AppState,
    auth: &AuthUser,
    category: i64,
    csv: bool,
    body: &[u8],
) -> AppResult<WordsAdded> {
    staff::require_admin(&state.db, auth).await?;
    let list = existing_category(state, category).await?;
    let text =
        std::str::from_utf8(body).map_err(|_| AppError::field("file", FieldCode::InvalidChars))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let entries: Vec<String> = if csv {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut entries = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|_| AppError::field("file", FieldCode::InvalidChars))?;
            let first = record.get(0).unwrap_or_default().trim().to_owned();
            if i == 0 && first.eq_ignore_ascii_case("word") {
                continue;
            }
            entries.push(first);
        }
        entries
    } else {
        text.lines().map(str::to_owned).collect()
    };
    insert_words(state, auth, &list, prepare(entries)?).await
}

pub async fn remove_word(state: &AppState, auth: &AuthUser, id: i64) -> AppResult<()> {
    staff::require_admin(&state.db, auth).await?;
    let entry = word::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let list = existing_category(state, entry.category_id).await?;
    word::Entity::delete_by_id(id).exec(&state.db).await?;
    audit::record(
        &state.db,
        Entry {
            actor: Some(auth.user_id),
            action: action::WORD_REMOVED,
            room: None,
            target_user: None,
            details: serde_json::json!({ "list": list.name, "word": entry.word }),
        },
    )
    .await?;
    if list.enabled {
        reload(state).await?;
    }
    Ok(())
}

/// The test box: what the enabled lists find in a text, and what `mask` would send.
pub async fn test(state: &AppState, auth: &AuthUser, req: TestText) -> AppResult<TextTest> {
    staff::require_staff(&state.db, auth).await?;
    if req.text.chars().count() > api::rules::MESSAGE_MAX {
        return Err(AppError::field("text", FieldCode::Length));
    }
    let lists = state.moderation.lists();
    let hits = lists.filter.find(&req.text);
    Ok(TextTest {
        normalised: filter::normalise_word(&req.text),
        masked: filter::mask(&req.text, &hits),
        hits: hits
            .iter()
            .map(|h| {
                let (word, category) = lists.words.get(&h.word_id).cloned().unwrap_or_default();
                TestHit {
                    at: WordMatch {
                        text: req.text[h.start..h.end].to_owned(),
                        start: h.start,
                        end: h.end,
                    },
                    word,
                    category: lists.categories.get(&category).cloned().unwrap_or_default(),
                }
            })
            .collect(),
    })
}

/// An admin gives someone a site role. The last admin cannot be demoted (409 `last_admin`).
pub async fn set_role(
    state: &AppState,
    auth: &AuthUser,
    target: UserId,
    role: Role,
) -> AppResult<api::users::PublicUser> {
    staff::require_admin(&state.db, auth).await?;
    let person = change_role(&state.db, Some(auth.user_id), target, role).await?;
    Ok(crate::users::to_public(&person))
}

/// Gives someone a site role and logs it (`actor` `None`: the command line), keeping at
/// least one admin.
pub async fn change_role(
    db: &sea_orm::DatabaseConnection,
    actor: Option<UserId>,
    target: UserId,
    role: Role,
) -> AppResult<user::Model> {
    let txn = crate::db::write_txn(db).await?;
    let person = crate::users::store::by_id(&txn, target.0)
        .await?
        .ok_or(AppError::NotFound)?;
    let was = Role::parse(&person.role).unwrap_or_default();
    if was.is_admin() && !role.is_admin() && active_admins(&txn).await? <= 1 {
        return Err(AppError::Rule {
            code: ErrorCode::LastAdmin,
            message: "the server must keep at least one admin",
        });
    }
    let person = user::Entity::update(user::ActiveModel {
        id: Set(target.0),
        role: Set(role.as_str().to_owned()),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    audit::record(
        &txn,
        Entry {
            actor,
            action: action::ROLE_SET,
            room: None,
            target_user: Some(target),
            details: serde_json::json!({ "from": was.as_str(), "to": role.as_str() }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(person)
}

/// Admins whose accounts are active: the server must keep one.
pub async fn active_admins(db: &impl sea_orm::ConnectionTrait) -> AppResult<u64> {
    use sea_orm::{ColumnTrait as _, PaginatorTrait as _, QueryFilter as _};
    Ok(user::Entity::find()
        .filter(user::Column::Role.eq(Role::Admin.as_str()))
        .filter(user::Column::DeactivatedAt.is_null())
        .count(db)
        .await?)
}

/// `screen` under a room's policy.
pub async fn screen_in_room(
    state: &AppState,
    actor: UserId,
    room_id: RoomId,
    field: Field,
    text: String,
) -> AppResult<String> {
    let stored = room::Entity::find_by_id(room_id.0)
        .one(&state.db)
        .await?
        .and_then(|r| r.word_policy);
    let policy = policy_for(state, stored.as_deref());
    screen(state, actor, Some(room_id), policy, field, text).await
}

/// `screen` under the server's default (names, bios, a room not made yet).
pub async fn screen_default(
    state: &AppState,
    actor: UserId,
    field: Field,
    text: Option<String>,
) -> AppResult<Option<String>> {
    match text {
        Some(text) => {
            let policy = policy_for(state, None);
            Ok(Some(screen(state, actor, None, policy, field, text).await?))
        }
        None => Ok(None),
    }
}

/// The example lists we ship (our own, short, for a start): name, file.
const EXAMPLES: [(&str, &str); 2] = [
    (
        "示例：辱骂 (example: insults)",
        include_str!("../../assets/wordlists/insults.zh.txt"),
    ),
    (
        "示例：广告 (example: spam)",
        include_str!("../../assets/wordlists/spam.zh.txt"),
    ),
];

/// `POST /admin/filter/examples` (admins): adds our example lists, off like every new
/// list; a list of that name already there is left as it is. Returns every list.
pub async fn add_examples(state: &AppState, auth: &AuthUser) -> AppResult<Vec<WordCategory>> {
    staff::require_admin(&state.db, auth).await?;
    for (name, text) in EXAMPLES {
        let made = create_category(
            state,
            auth,
            CreateWordCategory {
                name: name.to_owned(),
                allow: false,
            },
        )
        .await;
        match made {
            Ok(list) => {
                import(state, auth, list.id, false, text.as_bytes()).await?;
            }
            Err(AppError::Rule {
                code: api::ErrorCode::NameTaken,
                ..
            }) => {}
            Err(e) => return Err(e),
        }
    }
    categories(state, auth).await
}
