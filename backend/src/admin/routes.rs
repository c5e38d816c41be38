//! The admin console's endpoints (`/admin/…`), the server's settings, and reports
//! (`/messages/{id}/report`, `/reports`, `/admin/reports…`).

use super::{console, settings};
use crate::{auth::AuthUser, error::AppResult, moderation::reports, state::AppState};
use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use api::{
    ErrorBody, MessageId, RoomId, UserId,
    admin::{
        AdminRoom, AdminRoomPage, AdminUserDetail, AdminUserPage, Dashboard, EditAdminRoom,
        EditServerSettings, MessagesRemoved, MyReport, RemoveMessages, Report, ReportContext,
        ReportMessage, ReportPage, ResolveReport, ServerSettings, TemporaryPassword,
    },
    moderation::SetWordPolicy,
    rooms::Member,
};

/// The server at a glance (staff): people, activity, rooms, messages per day, storage,
/// sockets open, reports waiting.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The figures", body = Dashboard),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not staff", body = ErrorBody),
    )
)]
#[get("/admin/dashboard")]
pub async fn dashboard(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> AppResult<web::Json<Dashboard>> {
    Ok(web::Json(console::dashboard(&state, &auth).await?))
}

/// People (staff): search by name, e-mail or number; filter by role or deactivation;
/// newest first, 50 a page.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(console::UserQuery),
    responses(
        (status = 200, description = "A page of accounts", body = AdminUserPage),
        (status = 400, description = "`bad_request`: a query parameter could not be read", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not staff", body = ErrorBody),
    )
)]
#[get("/admin/users")]
pub async fn admin_users(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<console::UserQuery>,
) -> AppResult<web::Json<AdminUserPage>> {
    Ok(web::Json(
        console::users(&state, &auth, query.into_inner()).await?,
    ))
}

/// One account as staff see it (staff): profile, live sessions, counts.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The person")),
    responses(
        (status = 200, description = "The account", body = AdminUserDetail),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not staff", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/admin/users/{id}")]
pub async fn admin_user(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<AdminUserDetail>> {
    Ok(web::Json(
        console::user(&state, &auth, UserId(id.into_inner())).await?,
    ))
}

/// Reset someone's password (admins): answers a temporary password to hand over; every
/// session of theirs ends (`session_ended` with `password_changed`).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The person")),
    responses(
        (status = 200, description = "The temporary password", body = TemporaryPassword),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an admin, or yourself", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[post("/admin/users/{id}/password")]
pub async fn reset_password(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<TemporaryPassword>> {
    Ok(web::Json(
        console::reset_password(&state, &auth, UserId(id.into_inner())).await?,
    ))
}

/// Remove every message someone sent in a time range, in every room (staff; moderators
/// only members'): each as a recall (placeholder, gone from replays, files, previews), at
/// most 10,000 a call.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The person")),
    request_body = RemoveMessages,
    responses(
        (status = 200, description = "How many were removed", body = MessagesRemoved),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`; `staff_protected`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `to` before `from`", body = ErrorBody),
    )
)]
#[post("/admin/users/{id}/messages/remove")]
pub async fn remove_messages(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: web::Json<RemoveMessages>,
) -> AppResult<web::Json<MessagesRemoved>> {
    Ok(web::Json(
        console::remove_messages(&state, &auth, UserId(id.into_inner()), body.into_inner()).await?,
    ))
}

/// Group rooms (staff): search by name or number; newest first, 50 a page.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(console::RoomQuery),
    responses(
        (status = 200, description = "A page of rooms", body = AdminRoomPage),
        (status = 400, description = "`bad_request`", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not staff", body = ErrorBody),
    )
)]
#[get("/admin/rooms")]
pub async fn admin_rooms(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<console::RoomQuery>,
) -> AppResult<web::Json<AdminRoomPage>> {
    Ok(web::Json(
        console::rooms(&state, &auth, query.into_inner()).await?,
    ))
}

/// One group room as staff see it.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room")),
    responses(
        (status = 200, description = "The room", body = AdminRoom),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not staff", body = ErrorBody),
        (status = 404, description = "`not_found`: no such group room", body = ErrorBody),
    )
)]
#[get("/admin/rooms/{id}")]
pub async fn admin_room(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<AdminRoom>> {
    Ok(web::Json(
        console::room(&state, &auth, RoomId(id.into_inner())).await?,
    ))
}

/// A group room's members (staff), online first.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room")),
    responses(
        (status = 200, description = "The members", body = [Member]),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not staff", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/admin/rooms/{id}/members")]
pub async fn admin_room_members(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<Vec<Member>>> {
    Ok(web::Json(
        console::room_members(&state, &auth, RoomId(id.into_inner())).await?,
    ))
}

/// Change a room's slow mode or hand it to another member (staff); its members see it
/// as `room_edited` and role changes.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room")),
    request_body = EditAdminRoom,
    responses(
        (status = 200, description = "The room now", body = AdminRoom),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not staff", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `slow_mode_secs` `out_of_range`, `owner` `not_member`", body = ErrorBody),
    )
)]
#[patch("/admin/rooms/{id}")]
pub async fn admin_edit_room(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: web::Json<EditAdminRoom>,
) -> AppResult<web::Json<AdminRoom>> {
    Ok(web::Json(
        console::edit_room(&state, &auth, RoomId(id.into_inner()), body.into_inner()).await?,
    ))
}

/// Set a room's word-filter policy (staff): any policy; `null` follows the server's
/// default.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room")),
    request_body = SetWordPolicy,
    responses(
        (status = 200, description = "The room now", body = AdminRoom),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not staff", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[put("/admin/rooms/{id}/word-policy")]
pub async fn admin_set_room_policy(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: web::Json<SetWordPolicy>,
) -> AppResult<web::Json<AdminRoom>> {
    Ok(web::Json(
        console::set_room_policy(
            &state,
            &auth,
            RoomId(id.into_inner()),
            body.into_inner().policy,
        )
        .await?,
    ))
}

/// Delete a room and everything in it (admins).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an admin", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[delete("/admin/rooms/{id}")]
pub async fn admin_delete_room(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    console::delete_room(&state, &auth, RoomId(id.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The server's settings (admins).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The settings in force", body = ServerSettings),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an admin", body = ErrorBody),
    )
)]
#[get("/admin/settings")]
pub async fn get_settings(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> AppResult<web::Json<ServerSettings>> {
    Ok(web::Json(settings::get(&state, &auth).await?))
}

/// Change the server's settings (admins): kept in the database and in force at once
/// (`GET /server` shows them); logged with the fields changed.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = EditServerSettings,
    responses(
        (status = 200, description = "The settings now", body = ServerSettings),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an admin", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `out_of_range` names each field", body = ErrorBody),
    )
)]
#[patch("/admin/settings")]
pub async fn edit_settings(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<EditServerSettings>,
) -> AppResult<web::Json<ServerSettings>> {
    Ok(web::Json(
        settings::edit(&state, &auth, body.into_inner()).await?,
    ))
}

/// A new invite code (admins); the old one stops working at once.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The settings, with the new code", body = ServerSettings),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an admin", body = ErrorBody),
    )
)]
#[post("/admin/settings/invite-code")]
pub async fn new_invite_code(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> AppResult<web::Json<ServerSettings>> {
    Ok(web::Json(settings::new_invite_code(&state, &auth).await?))
}

/// Report a message to the site's moderators (a member of its room, not its author).
/// Reporting it again returns the first report.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The message")),
    request_body = ReportMessage,
    responses(
        (status = 201, description = "Reported", body = MyReport),
        (status = 200, description = "Reported before: that report", body = MyReport),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: a notice, not a message", body = ErrorBody),
        (status = 404, description = "`not_found`: no such message, or not in your rooms", body = ErrorBody),
        (status = 422, description = "`self_not_allowed`: your own message; `validation_failed`: `note` over 500 characters", body = ErrorBody),
    )
)]
#[post("/messages/{id}/report")]
pub async fn report(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ReportMessage>,
) -> AppResult<HttpResponse> {
    let (report, created) =
        reports::report(&state, &auth, MessageId(id.into_inner()), body.into_inner()).await?;
    Ok(if created {
        HttpResponse::Created().json(report)
    } else {
        HttpResponse::Ok().json(report)
    })
}

/// My reports and what became of them, newest first (the last 100).
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "My reports", body = [MyReport]),
        (status = 401, description = "Not logged in", body = ErrorBody),
    )
)]
#[get("/reports")]
pub async fn my_reports(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> AppResult<web::Json<Vec<MyReport>>> {
    Ok(web::Json(reports::mine(&state, &auth).await?))
}

/// The reports queue (staff): open ones (or closed), newest first, 50 a page.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(reports::ReportQuery),
    responses(
        (status = 200, description = "A page of reports", body = ReportPage),
        (status = 400, description = "`bad_request`: `status` is `open` or `closed`", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not staff", body = ErrorBody),
    )
)]
#[get("/admin/reports")]
pub async fn report_queue(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<reports::ReportQuery>,
) -> AppResult<web::Json<ReportPage>> {
    Ok(web::Json(
        reports::queue(&state, &auth, query.into_inner()).await?,
    ))
}

/// A reported message in its context (staff): up to five messages on each side in its
/// topic.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The report")),
    responses(
        (status = 200, description = "The messages, oldest first", body = ReportContext),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not staff", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/admin/reports/{id}/context")]
pub async fn report_context(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<ReportContext>> {
    Ok(web::Json(
        reports::context(&state, &auth, id.into_inner()).await?,
    ))
}

/// Act on a report (staff): dismiss it, remove the message, silence the author in the
/// room, or deactivate the author; every open report on the message closes with that
/// outcome and each reporter gets `report_resolved`.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The report")),
    request_body = ResolveReport,
    responses(
        (status = 200, description = "The report now", body = Report),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not staff, or your own message; `staff_protected`: a moderator acting on staff (only dismiss)", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`last_admin`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `seconds` `out_of_range`", body = ErrorBody),
    )
)]
#[post("/admin/reports/{id}/resolve")]
pub async fn resolve_report(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ResolveReport>,
) -> AppResult<web::Json<Report>> {
    Ok(web::Json(
        reports::resolve(&state, &auth, id.into_inner(), body.into_inner()).await?,
    ))
}
