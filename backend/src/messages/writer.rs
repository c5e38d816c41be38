//! Group commit for new messages. Every send is checked by its own request (membership,
//! body), then handed to one writer task per server, which takes whatever sends are waiting
//! (up to `MAX_BATCH`) and writes them in a single transaction: one multi-row insert of the
//! messages, one activity update of their posts, one `seq` increment and one event insert
//! per room, one upsert of the senders' read markers, one commit. A database's cost is per
//! transaction and per statement far more than per row, so a busy server commits many
//! messages for the price of one, while a quiet one still commits each send at once (the
//! writer never waits to fill a batch).
//!
//! Order and idempotency are the same as for single writes: within a room, messages take
//! consecutive `seq`s in the order of their ids; a `client_id` seen before (in an earlier
//! batch or earlier in the same one) creates nothing and answers with the first message.
//! If a batch fails as a whole (a post deleted between its check and the write, say), its
//! sends are written again one by one, so one bad send never fails the others.

use super::{
    kind_to_str,
    service::{markers_statement, touch_posts_statement},
    to_message,
};
use crate::{
    entities::{message, user},
    error::{AppError, AppResult},
    realtime::{Hub, Published, events},
};
use api::{
    ErrorCode, PostId, RoomId, UserId,
    messages::{Message, MessageKind},
    ws::RoomEvent,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait as _, DatabaseConnection, EntityTrait,
    QueryFilter, sea_query::OnConflict,
};
use std::{
    collections::{BTreeMap, HashMap},
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};
use time::OffsetDateTime;
use tokio::{
    sync::{mpsc, oneshot},
    time::Instant,
};
use uuid::Uuid;

/// The most sends written in one transaction.
const MAX_BATCH: usize = 256;
/// Sends waiting for the writer; requests wait (briefly) when it is full.
const QUEUE: usize = 4096;
/// New messages' search index rows wait in a queue (SQLite, `search::index::enqueue`) at
/// most this long after the first of them…
const DRAIN_AFTER: Duration = Duration::from_millis(200);
/// …or until this many wait; then they go into the index together.
const DRAIN_AT: usize = 256;
/// A batch of this many new messages is indexed in its own transaction instead.
const INDEX_AT_ONCE_FROM: usize = 4;

/// A checked send, ready to write.
#[derive(Debug)]
pub struct Draft {
    pub room_id: RoomId,
    pub post_id: PostId,
    pub author: user::Model,
    pub client_id: Uuid,
    pub body: String,
    /// `body` rendered (`markdown::render`); `None` when it is empty.
    pub html: Option<String>,
    /// Checked files of mine, not sent yet, in order.
    pub attachments: Vec<(Uuid, api::files::FileInfo)>,
    /// The checked message it answers, quoted.
    pub reply: Option<Box<api::messages::ReplyQuote>>,
    /// Checked members it mentions.
    pub mentions: Vec<UserId>,
    pub mention_all: bool,
    /// `body` cut for the search index (on the request's worker, not the writer's).
    pub index: crate::search::index::Prepared,
}

/// The message, and whether this send created it (`false`: a retry of an earlier send).
pub type Outcome = AppResult<(Message, bool)>;

struct Job {
    draft: Draft,
    reply: oneshot::Sender<Outcome>,
}

// A send travels unboxed, as before (no allocation per send); a drain is rare.
#[allow(clippy::large_enum_variant)]
enum Command {
    Send(Job),
    /// Put the queued index rows into the index (after every send before this command).
    DrainIndex(oneshot::Sender<AppResult<()>>),
}

/// The handle requests use; cloned into every worker.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::Sender<Command>,
    /// Index rows queued and not in the index yet (1 at start: leftovers are unknown).
    queued: Arc<AtomicUsize>,
}

impl Writer {
    /// Starts the writer task on the current runtime.
    pub fn start(
        db: DatabaseConnection,
        hub: Hub,
        metrics: std::sync::Arc<crate::metrics::Metrics>,
    ) -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        let queued = Arc::new(AtomicUsize::new(1));
        let index = IndexQueue {
            queued: queued.clone(),
            oldest: None,
        };
        tokio::spawn(run(db, hub, rx, metrics, index));
        Self { tx, queued }
    }

    /// Makes every message sent so far searchable: the queued index rows go into the index
    /// now, unless there are none. Search calls this first, so a message is found as soon
    /// as it has been seen.
    pub async fn drain_index(&self) -> AppResult<()> {
        if self.queued.load(Ordering::Acquire) == 0 {
            return Ok(());
        }
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Command::DrainIndex(reply))
            .await
            .map_err(|_| AppError::internal("the message writer has stopped"))?;
        answer
            .await
            .map_err(|_| AppError::internal("the message writer dropped a drain"))?
    }

    /// Writes `draft` (with whatever else is waiting) and answers once it is committed and
    /// published to the hub.
    pub async fn send(&self, draft: Draft) -> Outcome {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Command::Send(Job { draft, reply }))
            .await
            .map_err(|_| AppError::internal("the message writer has stopped"))?;
        answer
            .await
            .map_err(|_| AppError::internal("the message writer dropped a send"))?
    }
}

/// The writer's side of the index queue.
struct IndexQueue {
    queued: Arc<AtomicUsize>,
    /// When the oldest queued row was queued.
    oldest: Option<Instant>,
}

impl IndexQueue {
    /// `n` rows were queued by a transaction just committed (before its messages are
    /// published: whoever sees one and searches finds it).
    fn note(&mut self, n: usize) {
        if n > 0 {
            self.queued.fetch_add(n, Ordering::AcqRel);
            self.oldest.get_or_insert_with(Instant::now);
        }
    }

    async fn drain(&mut self, db: &DatabaseConnection) -> AppResult<()> {
        let started = std::time::Instant::now();
        match crate::search::index::drain(db).await {
            Ok(rows) => {
                // Only this task queues rows, so none came in meanwhile.
                self.queued.store(0, Ordering::Release);
                self.oldest = None;
                tracing::debug!(
                    rows,
                    elapsed_us = started.elapsed().as_micros() as u64,
                    "index queue drained"
                );
                Ok(())
            }
            Err(err) => {
                // Kept queued; tried again after the next interval.
                tracing::warn!(%err, "index queue not drained; trying again");
                self.oldest = Some(Instant::now());
                Err(err.into())
            }
        }
    }
}

async fn run(
    db: DatabaseConnection,
    hub: Hub,
    mut rx: mpsc::Receiver<Command>,
    metrics: std::sync::Arc<crate::metrics::Metrics>,
    mut index: IndexQueue,
) {
    // Rows a previous run queued and did not drain (it was killed).
    let _ = index.drain(&db).await;
    let mut commands = Vec::with_capacity(MAX_BATCH);
    loop {
        let deadline = index.oldest.map(|t| t + DRAIN_AFTER);
        tokio::select! {
            got = rx.recv_many(&mut commands, MAX_BATCH) => {
                if got == 0 {
                    break;
                }
            }
            () = tokio::time::sleep_until(deadline.unwrap_or_else(Instant::now)),
                if deadline.is_some() => {
                let _ = index.drain(&db).await;
                continue;
            }
        }
        let mut jobs = Vec::with_capacity(commands.len());
        for command in commands.drain(..) {
            match command {
                Command::Send(job) => jobs.push(job),
                Command::DrainIndex(reply) => {
                    if !jobs.is_empty() {
                        metrics.writer_batch.observe(jobs.len() as f64);
                        commit(&db, &hub, std::mem::take(&mut jobs), &mut index).await;
                    }
                    let _ = reply.send(index.drain(&db).await);
                }
            }
        }
        if !jobs.is_empty() {
            metrics.writer_batch.observe(jobs.len() as f64);
            commit(&db, &hub, jobs, &mut index).await;
        }
        if index.queued.load(Ordering::Acquire) >= DRAIN_AT {
            let _ = index.drain(&db).await;
        }
    }
    // Every handle is gone (tests, tools): what is queued goes in now. A server that
    // stops without getting here leaves its rows to the next start's drain.
    let _ = index.drain(&db).await;
}

async fn commit(db: &DatabaseConnection, hub: &Hub, jobs: Vec<Job>, index: &mut IndexQueue) {
    let drafts: Vec<&Draft> = jobs.iter().map(|j| &j.draft).collect();
    let started = std::time::Instant::now();
    let written = write(db, &drafts).await;
    tracing::debug!(
        sends = drafts.len(),
        elapsed_us = started.elapsed().as_micros() as u64,
        "batch written"
    );
    match written {
        Ok((outcomes, published, queued)) => {
            index.note(queued);
            hub.publish(published).await;
            for (job, outcome) in jobs.into_iter().zip(outcomes) {
                let _ = job.reply.send(outcome);
            }
        }
        Err(err) if jobs.len() > 1 => {
            tracing::warn!(%err, sends = jobs.len(), "batch failed; writing its sends one by one");
            for job in jobs {
                let outcome = match write(db, &[&job.draft]).await {
                    Ok((mut outcomes, published, queued)) => {
                        index.note(queued);
                        hub.publish(published).await;
                        outcomes
                            .pop()
                            .unwrap_or_else(|| Err(AppError::internal("no outcome")))
                    }
                    Err(err) => Err(err),
                };
                let _ = job.reply.send(outcome);
            }
        }
        Err(err) => {
            // A batch of one: its own error, as it is (a pool timeout stays a 503).
            if let Some(job) = jobs.into_iter().next() {
                let _ = job.reply.send(Err(err));
            }
        }
    }
}

/// Writes `drafts` in one transaction: an outcome per draft, in order, the events to
/// publish once committed, and how many index rows it queued.
async fn write(
    db: &DatabaseConnection,
    drafts: &[&Draft],
) -> AppResult<(Vec<Outcome>, Vec<Published>, usize)> {
    let now = OffsetDateTime::now_utc();
    let txn = crate::db::write_txn(db).await?;
    // Retries (the same author and client_id as an existing message) insert nothing and
    // return nothing; RETURNING's order is unspecified, so rows are matched by that key.
    let mut inserted: HashMap<(i64, Uuid), message::Model> =
        message::Entity::insert_many(drafts.iter().map(|d| message::ActiveModel {
            room_id: Set(d.room_id.0),
            post_id: Set(d.post_id.0),
            author_id: Set(d.author.id),
            client_id: Set(Some(d.client_id)),
            kind: Set(kind_to_str(MessageKind::Text).into()),
            body: Set(Some(d.body.clone())),
            body_html: Set(d.html.clone()),
            reply_to_id: Set(d.reply.as_ref().map(|q| q.id.0)),
            mentions: Set(super::mentions_to_column(&d.mentions)),
            mention_all: Set(d.mention_all),
            files: Set(d.attachments.len() as i32),
            created_at: Set(now),
            recalled_at: Set(None),
            recalled_by: Set(None),
            ..Default::default()
        }))
        .on_conflict(
            OnConflict::columns([message::Column::AuthorId, message::Column::ClientId])
                .do_nothing()
                .to_owned(),
        )
        .exec_with_returning(&txn)
        .await?
        .into_iter()
        .filter_map(|m| m.client_id.map(|c| ((m.author_id, c), m)))
        .collect();

    let mut outcomes = Vec::with_capacity(drafts.len());
    let mut created: Vec<(message::Model, &Draft)> = Vec::new();
    let mut first_of: HashMap<(i64, Uuid), message::Model> = HashMap::new();
    for draft in drafts {
        let key = (draft.author.id, draft.client_id);
        if let Some(m) = inserted.remove(&key) {
            // A file sent by another message meanwhile fails this batch; the sends are
            // then written one by one and only this one fails.
            let ids: Vec<Uuid> = draft.attachments.iter().map(|(id, _)| *id).collect();
            if !ids.is_empty()
                && !crate::files::store::attach(&txn, draft.author.id, m.id, &ids).await?
            {
                return Err(AppError::field("attachments", api::FieldCode::Unavailable));
            }
            first_of.insert(key, m.clone());
            outcomes.push(Ok(Slot::Created(m.id)));
            created.push((m, draft));
            continue;
        }
        let existing = match first_of.get(&key) {
            Some(m) => Some(m.clone()),
            None => {
                message::Entity::find()
                    .filter(message::Column::AuthorId.eq(draft.author.id))
                    .filter(message::Column::ClientId.eq(draft.client_id))
                    .one(&txn)
                    .await?
            }
        };
        let existing =
            existing.ok_or_else(|| AppError::internal("a send neither inserted nor found"))?;
        let mut answer = replay(&existing, draft);
        if let Ok(message) = &mut answer
            && message.recall.is_none()
        {
            let mut files = crate::files::store::of_messages(&txn, [existing.id]).await?;
            message.attachments = files
                .remove(&existing.id)
                .unwrap_or_default()
                .iter()
                .map(crate::files::to_info)
                .collect();
        }
        outcomes.push(answer.map(|m| Slot::Repeat(Box::new(m))));
    }

    let mut published = Vec::new();
    let mut messages: HashMap<i64, Message> = HashMap::new();
    let mut queued = 0;
    if !created.is_empty() {
        created.sort_by_key(|(m, _)| m.id);
        // A few messages are queued for the index (SQLite; PostgreSQL indexes them at
        // once), a busy batch is indexed with them (its FTS5 segment is shared already,
        // and a large drain would hold up the sends behind it). Search drains the queue
        // first, so a message is found as soon as it is seen.
        let backend = txn.get_database_backend();
        // Everything below that answers nothing goes to the database in one call at the
        // end (`db::execute_all`); only the rooms' `seq` increments need an answer first.
        let mut writes = Vec::new();
        let indexed: Vec<(i64, i64, &crate::search::index::Prepared)> = created
            .iter()
            .map(|(m, d)| (m.id, m.room_id, &d.index))
            .collect();
        let (index_rows, rows_queued) =
            crate::search::index::new_rows(backend, &indexed, created.len() >= INDEX_AT_ONCE_FROM);
        writes.extend(index_rows);
        queued = rows_queued;
        let mut posts: Vec<i64> = created.iter().map(|(m, _)| m.post_id).collect();
        posts.sort_unstable();
        posts.dedup();
        writes.push(touch_posts_statement(backend, posts, now));

        let mut by_room: BTreeMap<i64, Vec<RoomEvent>> = BTreeMap::new();
        for (m, draft) in &created {
            let mut message = to_message(m, &draft.author);
            message.attachments = draft.attachments.iter().map(|(_, f)| f.clone()).collect();
            message.reply_to = draft.reply.clone();
            messages.insert(m.id, message.clone());
            by_room
                .entry(m.room_id)
                .or_default()
                .push(RoomEvent::MessageCreated { message });
        }
        for (room_id, events) in by_room {
            let (numbered, insert) = events::number(&txn, RoomId(room_id), events).await?;
            published.extend(numbered);
            writes.extend(insert);
        }

        // The senders have read everything up to what they just wrote.
        let mut markers: HashMap<(i64, i64), i64> = HashMap::new();
        for (m, _) in &created {
            let upto = markers.entry((m.author_id, m.post_id)).or_default();
            *upto = std::cmp::max(*upto, m.id);
        }
        writes.push(markers_statement(
            backend,
            markers
                .into_iter()
                .map(|((user, post), upto)| (UserId(user), PostId(post), upto)),
        ));
        crate::db::execute_all(&txn, writes).await?;
    }
    txn.commit().await?;

    // Created sends answer with their message; retries with the message they repeat.
    let outcomes = outcomes
        .into_iter()
        .map(|slot| match slot? {
            Slot::Repeat(existing) => Ok((*existing, false)),
            Slot::Created(id) => messages
                .remove(&id)
                .map(|m| (m, true))
                .ok_or_else(|| AppError::internal("a created message went missing")),
        })
        .collect();
    Ok((outcomes, published, queued))
}

/// What became of one draft inside the transaction.
enum Slot {
    /// Inserted with this id.
    Created(i64),
    /// A retry: the message it repeats.
    Repeat(Box<Message>),
}

/// The answer to a repeated `client_id`: the first message, if this is really a retry of it.
fn replay(existing: &message::Model, draft: &Draft) -> AppResult<Message> {
    // Same key, different message: a client bug, not a retry.
    if existing.post_id != draft.post_id.0
        || (existing.recalled_at.is_none() && existing.body.as_deref() != Some(&draft.body))
    {
        return Err(AppError::Rule {
            code: ErrorCode::ClientIdConflict,
            message: "this client_id was already used for another message",
        });
    }
    Ok(to_message(existing, &draft.author))
}
