//! `/rooms…`.

use super::service;
use crate::{auth::AuthUser, error::AppResult, state::AppState};
use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use api::{
    ErrorBody, RoomId, UserId,
    rooms::{
        CreateRoom, EditRoom, JoinRequest, JoinResult, JoinRoom, Member, MyRoom, Room, SetMuted,
        SetRole, TransferRoom,
    },
};
use serde::Deserialize;

/// Create a room. The creator owns it; it gets a unique number and a default chat post.
#[utoipa::path(
    operation_id = "create_room",
    tag = "rooms",
    security(("bearer" = [])),
    request_body = CreateRoom,
    responses(
        (status = 201, description = "Created", body = MyRoom),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[post("/rooms")]
pub async fn create(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<CreateRoom>,
) -> AppResult<HttpResponse> {
    state.limits.rooms_created.check(&auth.user_id).await?;
    Ok(HttpResponse::Created().json(service::create(&state, &auth, body.into_inner()).await?))
}

/// The rooms I am in, with my role, unread counts and each room's newest `seq`.
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "My rooms", body = Vec<MyRoom>),
        (status = 401, description = "Not logged in", body = ErrorBody),
    )
)]
#[get("/rooms")]
pub async fn mine(state: web::Data<AppState>, auth: AuthUser) -> AppResult<web::Json<Vec<MyRoom>>> {
    Ok(web::Json(service::list_mine(&state, &auth).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiscoverQuery {
    /// A part of the name, its pinyin (`longjing`) or pinyin initials (`ljcs`), or the
    /// room number.
    query: Option<String>,
}

/// Public rooms, optionally matching a name or number.
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(DiscoverQuery),
    responses(
        (status = 200, description = "Public rooms", body = Vec<Room>),
        (status = 401, description = "Not logged in", body = ErrorBody),
    )
)]
#[get("/rooms/discover")]
pub async fn discover(
    state: web::Data<AppState>,
    _auth: AuthUser,
    query: web::Query<DiscoverQuery>,
) -> AppResult<web::Json<Vec<Room>>> {
    Ok(web::Json(
        service::discover(&state, query.query.as_deref().unwrap_or_default()).await?,
    ))
}

/// Join a room by its number: a public one at once, a private one by request.
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    request_body = JoinRoom,
    responses(
        (status = 200, description = "`joined` (with the room) or `requested`", body = JoinResult),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`banned_from_room`: an owner or admin banned you", body = ErrorBody),
        (status = 404, description = "`not_found`: no room has this number", body = ErrorBody),
    )
)]
#[post("/rooms/join")]
pub async fn join(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<JoinRoom>,
) -> AppResult<web::Json<JoinResult>> {
    let body = body.into_inner();
    Ok(web::Json(
        service::join(&state, &auth, body.number, body.message).await?,
    ))
}

/// A room's card: members see it; non-members only if the room is public.
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room")),
    responses(
        (status = 200, description = "The room", body = Room),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/rooms/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<Room>> {
    Ok(web::Json(
        service::get(&state, &auth, RoomId(id.into_inner())).await?,
    ))
}

/// Edit a room (owner or admin).
#[utoipa::path(
    operation_id = "edit_room",
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room")),
    request_body = EditRoom,
    responses(
        (status = 200, description = "Updated", body = Room),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[patch("/rooms/{id}")]
pub async fn edit(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: web::Json<EditRoom>,
) -> AppResult<web::Json<Room>> {
    Ok(web::Json(
        service::edit(&state, &auth, RoomId(id.into_inner()), body.into_inner()).await?,
    ))
}

/// Delete a room with everything in it (owner only).
#[utoipa::path(
    operation_id = "delete_room",
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[delete("/rooms/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::delete(&state, &auth, RoomId(id.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Leave a room. The owner must transfer it first.
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room")),
    responses(
        (status = 204, description = "Left"),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`owner_must_transfer`", body = ErrorBody),
    )
)]
#[post("/rooms/{id}/leave")]
pub async fn leave(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::leave(&state, &auth, RoomId(id.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Members, online first.
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room")),
    responses(
        (status = 200, description = "Members", body = Vec<Member>),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/rooms/{id}/members")]
pub async fn members(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<Vec<Member>>> {
    Ok(web::Json(
        service::members(&state, &auth, RoomId(id.into_inner())).await?,
    ))
}

/// Silence a room or private chat for me, or undo it: its unread count stays, but my
/// apps raise no notification or sound for it. Follows me to every device.
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room or private chat")),
    request_body = SetMuted,
    responses(
        (status = 204, description = "Changed"),
        (status = 404, description = "`not_found`: no such room, or not a member", body = ErrorBody),
    )
)]
#[put("/rooms/{id}/mute")]
pub async fn set_muted(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: web::Json<SetMuted>,
) -> AppResult<HttpResponse> {
    service::set_muted(&state, &auth, RoomId(id.into_inner()), body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Make a member an admin or an admin a member (owner only).
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room"), ("user_id" = i64, Path, description = "The member")),
    request_body = SetRole,
    responses(
        (status = 204, description = "Changed"),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: only `admin` or `member`", body = ErrorBody),
    )
)]
#[put("/rooms/{id}/members/{user_id}/role")]
pub async fn set_role(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(i64, i64)>,
    body: web::Json<SetRole>,
) -> AppResult<HttpResponse> {
    let (room, user) = path.into_inner();
    service::set_role(&state, &auth, RoomId(room), UserId(user), body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Remove a member (the owner anyone, an admin plain members). Their sockets stop
/// receiving the room at once.
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room"), ("user_id" = i64, Path, description = "The member")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[delete("/rooms/{id}/members/{user_id}")]
pub async fn remove_member(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (room, user) = path.into_inner();
    service::remove(&state, &auth, RoomId(room), UserId(user)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Hand the room to another member (owner only); the old owner becomes an admin.
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room")),
    request_body = TransferRoom,
    responses(
        (status = 204, description = "Transferred"),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[post("/rooms/{id}/transfer")]
pub async fn transfer(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: web::Json<TransferRoom>,
) -> AppResult<HttpResponse> {
    service::transfer(&state, &auth, RoomId(id.into_inner()), body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Pending join requests of a private room (owner or admin).
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room")),
    responses(
        (status = 200, description = "Requests", body = Vec<JoinRequest>),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/rooms/{id}/requests")]
pub async fn requests(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<Vec<JoinRequest>>> {
    Ok(web::Json(
        service::requests(&state, &auth, RoomId(id.into_inner())).await?,
    ))
}

/// Approve a join request (owner or admin).
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room"), ("user_id" = i64, Path, description = "Who asked")),
    responses(
        (status = 204, description = "Approved: now a member"),
        (status = 403, description = "`forbidden`; `banned_from_room`: they are banned", body = ErrorBody),
        (status = 404, description = "`not_found`: no such request", body = ErrorBody),
    )
)]
#[post("/rooms/{id}/requests/{user_id}/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (room, user) = path.into_inner();
    service::answer_request(&state, &auth, RoomId(room), UserId(user), true).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Decline a join request (owner or admin).
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room"), ("user_id" = i64, Path, description = "Who asked")),
    responses(
        (status = 204, description = "Declined"),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`: no such request", body = ErrorBody),
    )
)]
#[post("/rooms/{id}/requests/{user_id}/decline")]
pub async fn decline(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (room, user) = path.into_inner();
    service::answer_request(&state, &auth, RoomId(room), UserId(user), false).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Write the room's announcement (owners and admins); an empty body takes it down. Every
/// member is shown it once more (`MyRoom.announcement_unseen`); members get
/// `announcement_changed`.
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room")),
    request_body = api::rooms::SetAnnouncement,
    responses(
        (status = 200, description = "The announcement now (`null`: none)", body = Option<api::rooms::Announcement>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an owner or admin", body = ErrorBody),
        (status = 404, description = "`not_found`: no such group room, or not a member", body = ErrorBody),
        (status = 422, description = "`validation_failed`: over 2000 characters, or control characters", body = ErrorBody),
    )
)]
#[put("/rooms/{id}/announcement")]
pub async fn set_announcement(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: web::Json<api::rooms::SetAnnouncement>,
) -> AppResult<web::Json<Option<api::rooms::Announcement>>> {
    Ok(web::Json(
        super::announcement::set(&state, &auth, RoomId(id.into_inner()), body.into_inner()).await?,
    ))
}

/// I have read the room's announcement as it is now: it is not shown to me again until it
/// changes (on any device).
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room")),
    responses(
        (status = 204, description = "Acknowledged"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "`not_found`: no such group room, or not a member", body = ErrorBody),
    )
)]
#[post("/rooms/{id}/announcement/seen")]
pub async fn announcement_seen(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    super::announcement::seen(&state, &auth, RoomId(id.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Silence a member (禁言) for a while: they read but cannot send (403 `silenced`). Owners
/// silence anyone else, admins plain members. Members get `member_silenced`.
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room"), ("user_id" = i64, Path, description = "The member")),
    request_body = api::rooms::SilenceMember,
    responses(
        (status = 204, description = "Silenced"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an owner or admin above them", body = ErrorBody),
        (status = 404, description = "`not_found`: no such group room or member, or you are not in it", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `seconds` not between 1 and 30 days", body = ErrorBody),
    )
)]
#[put("/rooms/{id}/members/{user_id}/silence")]
pub async fn silence(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(i64, i64)>,
    body: web::Json<api::rooms::SilenceMember>,
) -> AppResult<HttpResponse> {
    let (room, user) = path.into_inner();
    super::moderation::silence(
        &state,
        &auth,
        RoomId(room),
        UserId(user),
        Some(body.into_inner()),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Lift a member's silence.
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room"), ("user_id" = i64, Path, description = "The member")),
    responses(
        (status = 204, description = "They may send again"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[delete("/rooms/{id}/members/{user_id}/silence")]
pub async fn unsilence(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (room, user) = path.into_inner();
    super::moderation::silence(&state, &auth, RoomId(room), UserId(user), None).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Ban a member: removed at once (`member_left` with `removed`), and refused when joining
/// or asking to (403 `banned_from_room`) until unbanned.
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room"), ("user_id" = i64, Path, description = "The member")),
    request_body = api::rooms::BanMember,
    responses(
        (status = 204, description = "Banned"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an owner or admin above them", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `reason` over 500 characters", body = ErrorBody),
    )
)]
#[put("/rooms/{id}/bans/{user_id}")]
pub async fn ban(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(i64, i64)>,
    body: web::Json<api::rooms::BanMember>,
) -> AppResult<HttpResponse> {
    let (room, user) = path.into_inner();
    super::moderation::ban(&state, &auth, RoomId(room), UserId(user), body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Lift a ban (owners and admins): they may join again.
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room"), ("user_id" = i64, Path, description = "The person")),
    responses(
        (status = 204, description = "Unbanned (or was not banned)"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[delete("/rooms/{id}/bans/{user_id}")]
pub async fn unban(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (room, user) = path.into_inner();
    super::moderation::unban(&state, &auth, RoomId(room), UserId(user)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The room's bans, newest first (owners and admins).
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room")),
    responses(
        (status = 200, description = "Who is banned, by whom, when, why", body = Vec<api::rooms::Ban>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/rooms/{id}/bans")]
pub async fn bans(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<Vec<api::rooms::Ban>>> {
    Ok(web::Json(
        super::moderation::bans(&state, &auth, RoomId(id.into_inner())).await?,
    ))
}
