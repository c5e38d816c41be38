//! Reports: a member reports a message they can see; site staff work through the queue,
//! read the message in its context and act (dismiss, remove it, silence the author in the
//! room, deactivate the author); every reporter of that message is told the outcome, live
//! (`report_resolved`) and in `GET /reports`.

use super::{
    audit::{self, Entry, action},
    people, staff,
};
use crate::{
    auth::AuthUser,
    entities::{message, report, room, user},
    error::{AppError, AppResult},
    messages::to_message,
    rooms::{self, KIND_DIRECT},
    state::AppState,
};
use api::{
    ErrorCode, FieldCode, MessageId, RoomId, UserId,
    admin::{
        MyReport, Report, ReportContext, ReportMessage, ReportPage, ReportReason, ReportStatus,
        ResolveReport,
    },
    messages::MessageKind,
    ws::ServerFrame,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, sea_query::OnConflict,
};
use std::collections::HashMap;
use time::{Duration, OffsetDateTime};

/// The longest note a reporter may add.
pub const NOTE_MAX: usize = 500;
const PAGE: u64 = 50;
/// Messages shown on each side of a reported one.
const CONTEXT: u64 = 5;

fn to_mine(r: &report::Model) -> MyReport {
    MyReport {
        id: r.id,
        message_id: MessageId(r.message_id),
        room_id: RoomId(r.room_id),
        reason: ReportReason::parse(&r.reason).unwrap_or(ReportReason::Other),
        status: ReportStatus::parse(&r.status).unwrap_or(ReportStatus::Open),
        created_at: r.created_at,
        resolved_at: r.resolved_at,
    }
}

/// `POST /messages/{id}/report`: a member reports a message of their room (not their
/// own, not a notice). Reporting the same message again returns the first report.
pub async fn report(
    state: &AppState,
    auth: &AuthUser,
    message_id: MessageId,
    req: ReportMessage,
) -> AppResult<(MyReport, bool)> {
    let found = message::Entity::find_by_id(message_id.0)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::rooms::service::require_member(&state.db, RoomId(found.room_id), auth.user_id).await?;
    if found.author_id == auth.user_id.0 {
        return Err(AppError::Rule {
            code: ErrorCode::SelfNotAllowed,
            message: "you cannot report your own message",
        });
    }
    if found.kind != crate::messages::kind_to_str(MessageKind::Text) {
        return Err(AppError::Forbidden);
    }
    let note = req
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    if note.as_ref().is_some_and(|n| n.chars().count() > NOTE_MAX) {
        return Err(AppError::field("note", FieldCode::Length));
    }
    let txn = crate::db::write_txn(&state.db).await?;
    let inserted = report::Entity::insert(report::ActiveModel {
        message_id: Set(found.id),
        room_id: Set(found.room_id),
        reporter_id: Set(auth.user_id.0),
        author_id: Set(found.author_id),
        reason: Set(req.reason.as_str().to_owned()),
        note: Set(note),
        status: Set(ReportStatus::Open.as_str().to_owned()),
        created_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([report::Column::MessageId, report::Column::ReporterId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let row = report::Entity::find()
        .filter(report::Column::MessageId.eq(found.id))
        .filter(report::Column::ReporterId.eq(auth.user_id.0))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::internal("report vanished"))?;
    txn.commit().await?;
    if inserted > 0 {
        tracing::info!(
            report_id = row.id,
            message_id = found.id,
            "message reported"
        );
    }
    Ok((to_mine(&row), inserted > 0))
}

/// `GET /reports`: my reports, newest first (the last 100).
pub async fn mine(state: &AppState, auth: &AuthUser) -> AppResult<Vec<MyReport>> {
    Ok(report::Entity::find()
        .filter(report::Column::ReporterId.eq(auth.user_id.0))
        .order_by_desc(report::Column::Id)
        .limit(100)
        .all(&state.db)
        .await?
        .iter()
        .map(to_mine)
        .collect())
}

/// What `GET /admin/reports` filters on.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `open` (the default) or `closed` (every other status).
    pub status: Option<String>,
    /// Reports numbered below this (the previous page's `next`).
    pub before: Option<i64>,
}

async fn to_reports(state: &AppState, rows: Vec<report::Model>) -> AppResult<Vec<Report>> {
    let db = &state.db;
    let messages: HashMap<i64, message::Model> = message::Entity::find()
        .filter(message::Column::Id.is_in(rows.iter().map(|r| r.message_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let people: HashMap<i64, user::Model> = user::Entity::find()
        .filter(
            user::Column::Id.is_in(
                rows.iter()
                    .flat_map(|r| [Some(r.reporter_id), Some(r.author_id), r.resolved_by])
                    .flatten(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let rooms: HashMap<i64, room::Model> = room::Entity::find()
        .filter(room::Column::Id.is_in(rows.iter().map(|r| r.room_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let counts: HashMap<i64, i64> = report::Entity::find()
        .select_only()
        .column(report::Column::MessageId)
        .column_as(report::Column::Id.count(), "n")
        .filter(report::Column::MessageId.is_in(rows.iter().map(|r| r.message_id)))
        .group_by(report::Column::MessageId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(rows
        .iter()
        .filter_map(|r| {
            let m = messages.get(&r.message_id)?;
            let author = people.get(&r.author_id)?;
            let room = rooms.get(&r.room_id)?;
            Some(Report {
                id: r.id,
                reason: ReportReason::parse(&r.reason).unwrap_or(ReportReason::Other),
                note: r.note.clone(),
                status: ReportStatus::parse(&r.status).unwrap_or(ReportStatus::Open),
                reporter: rooms::summary(people.get(&r.reporter_id)?),
                author: rooms::summary(author),
                room_id: RoomId(r.room_id),
                room_name: (room.kind != KIND_DIRECT).then(|| room.name.clone()),
                message: to_message(m, author),
                others: counts.get(&r.message_id).copied().unwrap_or(1).max(1) as u64 - 1,
                created_at: r.created_at,
                resolved_at: r.resolved_at,
                resolved_by: r
                    .resolved_by
                    .and_then(|id| people.get(&id))
                    .map(rooms::summary),
            })
        })
        .collect())
}

/// `GET /admin/reports` (staff): the queue, newest first, 50 a page.
pub async fn queue(state: &AppState, auth: &AuthUser, query: ReportQuery) -> AppResult<ReportPage> {
    staff::require_staff(&state.db, auth).await?;
    let mut find = report::Entity::find();
    find = match query.status.as_deref().unwrap_or("open") {
        "open" => find.filter(report::Column::Status.eq(ReportStatus::Open.as_str())),
        "closed" => find.filter(report::Column::Status.ne(ReportStatus::Open.as_str())),
        _ => return Err(AppError::BadRequest("status: open or closed".into())),
    };
    if let Some(before) = query.before {
        find = find.filter(report::Column::Id.lt(before));
    }
    let mut rows = find
        .order_by_desc(report::Column::Id)
        .limit(PAGE + 1)
        .all(&state.db)
        .await?;
    let next = (rows.len() as u64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map_or(0, |r| r.id)
    });
    Ok(ReportPage {
        reports: to_reports(state, rows).await?,
        next,
    })
}

async fn find(state: &AppState, id: i64) -> AppResult<report::Model> {
    report::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /admin/reports/{id}/context` (staff): the message with up to five on each side
/// in its topic, as members see them (recalled ones as placeholders).
pub async fn context(state: &AppState, auth: &AuthUser, id: i64) -> AppResult<ReportContext> {
    staff::require_staff(&state.db, auth).await?;
    let r = find(state, id).await?;
    let reported = message::Entity::find_by_id(r.message_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let before = message::Entity::find()
        .filter(message::Column::PostId.eq(reported.post_id))
        .filter(message::Column::Id.lt(reported.id))
        .order_by_desc(message::Column::Id)
        .limit(CONTEXT)
        .all(&state.db)
        .await?;
    let after = message::Entity::find()
        .filter(message::Column::PostId.eq(reported.post_id))
        .filter(message::Column::Id.gt(reported.id))
        .order_by_asc(message::Column::Id)
        .limit(CONTEXT)
        .all(&state.db)
        .await?;
    let rows: Vec<message::Model> = before
        .into_iter()
        .rev()
        .chain([reported])
        .chain(after)
        .collect();
    let authors: HashMap<i64, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|m| m.author_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(ReportContext {
        messages: rows
            .iter()
            .filter_map(|m| Some(to_message(m, authors.get(&m.author_id)?)))
            .collect(),
    })
}

/// `POST /admin/reports/{id}/resolve` (staff): does what the moderator chose, closes every
/// open report on the message with that outcome, logs it and tells each reporter.
/// A report already closed (by another moderator a moment earlier) is returned as it is,
/// and nothing is done twice.
pub async fn resolve(
    state: &AppState,
    auth: &AuthUser,
    id: i64,
    req: ResolveReport,
) -> AppResult<Report> {
    staff::require_staff(&state.db, auth).await?;
    let r = find(state, id).await?;
    if r.status != ReportStatus::Open.as_str() {
        return one(state, id).await;
    }
    let reported = message::Entity::find_by_id(r.message_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let author = UserId(r.author_id);
    let remove = match req {
        ResolveReport::Dismiss => false,
        ResolveReport::Remove => true,
        ResolveReport::Silence { remove, .. } | ResolveReport::Deactivate { remove } => remove,
    };
    // The checks first, so that a refused action leaves the message as it was. Acting on
    // the author follows the staff rules: never on oneself, moderators on members only.
    if req != ResolveReport::Dismiss {
        people::target_for(state, auth, author).await?;
    }
    let status = match req {
        ResolveReport::Dismiss => ReportStatus::Dismissed,
        ResolveReport::Remove => ReportStatus::Removed,
        ResolveReport::Silence { seconds, .. } => {
            if !(1..=crate::rooms::moderation::SILENCE_MAX_SECS).contains(&seconds) {
                return Err(AppError::field("seconds", FieldCode::OutOfRange));
            }
            ReportStatus::Silenced
        }
        ResolveReport::Deactivate { .. } => ReportStatus::Deactivated,
    };
    // One resolution at a time: the open reports on the message are claimed for this one
    // before anything is done. Someone resolving it meanwhile claimed them first; this
    // one then changes nothing and answers the report as it stands.
    let claimed = report::Entity::update_many()
        .col_expr(
            report::Column::ResolvedBy,
            sea_orm::sea_query::Expr::value(auth.user_id.0),
        )
        .filter(report::Column::MessageId.eq(r.message_id))
        .filter(report::Column::Status.eq(ReportStatus::Open.as_str()))
        .filter(report::Column::ResolvedBy.is_null())
        .exec(&state.db)
        .await?;
    if claimed.rows_affected == 0 {
        return one(state, id).await;
    }
    let acted = act(state, auth, &r, &reported, req, remove, status).await;
    if acted.is_err() {
        // Refused or failed: the reports are open again for anyone.
        report::Entity::update_many()
            .col_expr(
                report::Column::ResolvedBy,
                sea_orm::sea_query::Expr::value(Option::<i64>::None),
            )
            .filter(report::Column::MessageId.eq(r.message_id))
            .filter(report::Column::Status.eq(ReportStatus::Open.as_str()))
            .filter(report::Column::ResolvedBy.eq(auth.user_id.0))
            .exec(&state.db)
            .await?;
    }
    acted?;
    one(state, id).await
}

/// What a resolution does, once its reports are claimed: the action on the message and
/// its author, then every claimed report closed with the outcome and each reporter told.
async fn act(
    state: &AppState,
    auth: &AuthUser,
    r: &report::Model,
    reported: &message::Model,
    req: ResolveReport,
    remove: bool,
    status: ReportStatus,
) -> AppResult<()> {
    let id = r.id;
    let author = UserId(r.author_id);
    if remove {
        crate::messages::service::remove_as_staff(state, auth.user_id, reported).await?;
        audit::record(
            &state.db,
            Entry {
                actor: Some(auth.user_id),
                action: action::MESSAGE_REMOVED,
                room: Some(RoomId(r.room_id)),
                target_user: Some(author),
                details: serde_json::json!({ "message_id": r.message_id, "report_id": id }),
            },
        )
        .await?;
    }
    match req {
        ResolveReport::Silence { seconds, .. } => {
            let still_member = crate::rooms::store::member(&state.db, RoomId(r.room_id), author)
                .await?
                .is_some();
            if still_member {
                let until = crate::db::stored_time(
                    OffsetDateTime::now_utc() + Duration::seconds(seconds as i64),
                );
                crate::rooms::moderation::set_silenced(
                    state,
                    auth.user_id,
                    RoomId(r.room_id),
                    author,
                    Some(until),
                )
                .await?;
            }
        }
        ResolveReport::Deactivate { .. } => {
            people::set_active(&state.db, state, Some(auth.user_id), author, false).await?;
        }
        ResolveReport::Dismiss | ResolveReport::Remove => {}
    }
    let now = OffsetDateTime::now_utc();
    let txn = crate::db::write_txn(&state.db).await?;
    let closing = report::Entity::find()
        .filter(report::Column::MessageId.eq(r.message_id))
        .filter(report::Column::Status.eq(ReportStatus::Open.as_str()))
        .filter(report::Column::ResolvedBy.eq(auth.user_id.0))
        .all(&txn)
        .await?;
    report::Entity::update_many()
        .col_expr(
            report::Column::Status,
            sea_orm::sea_query::Expr::value(status.as_str()),
        )
        .col_expr(
            report::Column::ResolvedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            report::Column::ResolvedBy,
            sea_orm::sea_query::Expr::value(auth.user_id.0),
        )
        .filter(report::Column::MessageId.eq(r.message_id))
        .filter(report::Column::Status.eq(ReportStatus::Open.as_str()))
        .filter(report::Column::ResolvedBy.eq(auth.user_id.0))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Entry {
            actor: Some(auth.user_id),
            action: action::REPORT_RESOLVED,
            room: Some(RoomId(r.room_id)),
            target_user: Some(author),
            details: serde_json::json!({
                "report_id": id,
                "message_id": r.message_id,
                "outcome": status.as_str(),
                "reports": closing.len(),
            }),
        },
    )
    .await?;
    txn.commit().await?;
    for mut closed in closing {
        closed.status = status.as_str().to_owned();
        closed.resolved_at = Some(now);
        state
            .hub
            .to_user(
                UserId(closed.reporter_id),
                &ServerFrame::ReportResolved {
                    report: to_mine(&closed),
                },
            )
            .await;
    }
    Ok(())
}

async fn one(state: &AppState, id: i64) -> AppResult<Report> {
    let row = find(state, id).await?;
    to_reports(state, vec![row])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Open reports, for the dashboard.
pub async fn open_count(db: &impl sea_orm::ConnectionTrait) -> AppResult<u64> {
    Ok(report::Entity::find()
        .filter(report::Column::Status.eq(ReportStatus::Open.as_str()))
        .count(db)
        .await?)
}
