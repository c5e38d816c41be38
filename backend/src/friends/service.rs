//! The friend-request state machine, friendships and blocks.
//!
//! Per ordered pair there is at most one request row: none → pending → accepted |
//! rejected | cancelled, and sending again reopens it as pending. A request to someone who
//! already asked you accepts theirs. A block (either way) stops requests and private
//! messages, ends the friendship and settles pending requests. Every change is pushed to
//! both people's sockets; the hub learns friendships for presence.

use super::store::{self, ACCEPTED, CANCELLED, PENDING, REJECTED};
use crate::{
    auth::AuthUser,
    entities::{friend_request, user},
    error::{AppError, AppResult},
    rooms::{self, store as room_store},
    state::AppState,
    users::{self, domain::parse_profile_text},
};
use api::{
    ErrorCode, UserId,
    friends::{
        BlockedUser, Friend, FriendEvent, FriendRequest, PendingRequests, Relation, RequestResult,
        RequestState, SendFriendRequest, UserCard,
    },
    rules,
    ws::ServerFrame,
};
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;

/// The most search results returned.
const SEARCH_LIMIT: u64 = 20;

fn state_from_str(s: &str) -> RequestState {
    match s {
        ACCEPTED => RequestState::Accepted,
        REJECTED => RequestState::Rejected,
        CANCELLED => RequestState::Cancelled,
        _ => RequestState::Pending,
    }
}

fn to_request(row: &friend_request::Model, from: &user::Model, to: &user::Model) -> FriendRequest {
    FriendRequest {
        from: rooms::summary(from),
        to: rooms::summary(to),
        greeting: row.greeting.clone(),
        state: state_from_str(&row.state),
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

/// Someone else, or 404; myself, 422.
async fn other_person(state: &AppState, auth: &AuthUser, id: UserId) -> AppResult<user::Model> {
    if id == auth.user_id {
        return Err(AppError::Rule {
            code: ErrorCode::SelfNotAllowed,
            message: "you cannot do this to yourself",
        });
    }
    users::store::by_id(&state.db, id.0)
        .await?
        .ok_or(AppError::NotFound)
}

async fn me(state: &AppState, auth: &AuthUser) -> AppResult<user::Model> {
    users::store::by_id(&state.db, auth.user_id.0)
        .await?
        .ok_or(AppError::NotFound)
}

/// One of the two blocked the other (requests and private chats alike).
pub(crate) fn blocked() -> AppError {
    AppError::Rule {
        code: ErrorCode::Blocked,
        message: "one of you blocked the other",
    }
}

/// Tells every socket of both people.
async fn notify(state: &AppState, people: [UserId; 2], event: FriendEvent) {
    let frame = ServerFrame::Friends { event };
    for user_id in people {
        state.hub.to_user(user_id, &frame).await;
    }
}

async fn friend(state: &AppState, user: &user::Model, since: OffsetDateTime) -> Friend {
    let mut presence = crate::realtime::presence_of(&state.hub, [user]).await;
    Friend {
        user: rooms::summary(user),
        since,
        presence: presence
            .remove(&UserId(user.id))
            .unwrap_or(api::friends::UserPresence {
                user_id: UserId(user.id),
                status: api::friends::Presence::Offline,
                last_seen_at: user.last_seen_at,
            }),
    }
}

/// After a friendship began: both see the other in their list, and the hub starts sharing
/// their presence.
async fn announce_friends(
    state: &AppState,
    a: &user::Model,
    b: &user::Model,
    since: OffsetDateTime,
) {
    for (to, about) in [(a, b), (b, a)] {
        let friend = friend(state, about, since).await;
        state
            .hub
            .to_user(
                UserId(to.id),
                &ServerFrame::Friends {
                    event: FriendEvent::Added { friend },
                },
            )
            .await;
    } // After the `added` frames, so clients know the friend before their presence arrives.
    state.hub.friends(UserId(a.id), UserId(b.id), true).await;
}

async fn announce_unfriended(state: &AppState, a: UserId, b: UserId) {
    state.hub.friends(a, b, false).await;
    for (to, about) in [(a, b), (b, a)] {
        state
            .hub
            .to_user(
                to,
                &ServerFrame::Friends {
                    event: FriendEvent::Removed { user_id: about },
                },
            )
            .await;
    }
}

/// People by username, display name or number, as a stranger may see them, with where I
/// stand with each. People who blocked me are not found.
pub async fn search(state: &AppState, auth: &AuthUser, query: &str) -> AppResult<Vec<UserCard>> {
    let query = query.trim();
    let numeric = !query.is_empty() && query.chars().all(|c| c.is_ascii_digit());
    if !numeric && query.chars().count() < rules::SEARCH_MIN {
        return Err(AppError::field("query", api::FieldCode::Length));
    }
    let found = users::store::search(&state.db, query, SEARCH_LIMIT).await?;
    let ids: Vec<i64> = found.iter().map(|u| u.id).collect();
    let hidden = store::blocked_by(&state.db, auth.user_id, &ids).await?;
    let friends: HashSet<UserId> = store::friend_ids(&state.db, auth.user_id)
        .await?
        .into_iter()
        .collect();
    let sent: HashSet<i64> = store::pending(&state.db, auth.user_id, false)
        .await?
        .into_iter()
        .map(|r| r.to_id)
        .collect();
    let received: HashSet<i64> = store::pending(&state.db, auth.user_id, true)
        .await?
        .into_iter()
        .map(|r| r.from_id)
        .collect();
    let blocked: HashSet<i64> = store::blocks(&state.db, auth.user_id)
        .await?
        .into_iter()
        .map(|b| b.blocked_id)
        .collect();
    Ok(found
        .iter()
        .filter(|u| !hidden.contains(&u.id))
        .map(|u| UserCard {
            user: rooms::summary(u),
            relation: if u.id == auth.user_id.0 {
                Relation::Me
            } else if blocked.contains(&u.id) {
                Relation::Blocked
            } else if friends.contains(&UserId(u.id)) {
                Relation::Friend
            } else if received.contains(&u.id) {
                Relation::RequestReceived
            } else if sent.contains(&u.id) {
                Relation::RequestSent
            } else {
                Relation::None
            },
        })
        .collect())
}

/// My friends with their presence: online first, then away, then by name.
pub async fn list(state: &AppState, auth: &AuthUser) -> AppResult<Vec<Friend>> {
    let rows = store::friendships(&state.db, auth.user_id).await?;
    let people = room_store::users(&state.db, rows.iter().map(|f| f.friend_id)).await?;
    let presence = crate::realtime::presence_of(&state.hub, people.values()).await;
    let mut friends: Vec<Friend> = rows
        .iter()
        .filter_map(|row| {
            let user = people.get(&row.friend_id)?;
            Some(Friend {
                user: rooms::summary(user),
                since: row.created_at,
                presence: presence.get(&UserId(user.id)).cloned()?,
            })
        })
        .collect();
    api::friends::sort_friends(&mut friends);
    Ok(friends)
}

/// Requests waiting for an answer, both ways. Pending ones stay here until answered, so
/// a client shows them again at every login.
pub async fn pending(state: &AppState, auth: &AuthUser) -> AppResult<PendingRequests> {
    let incoming = store::pending(&state.db, auth.user_id, true).await?;
    let outgoing = store::pending(&state.db, auth.user_id, false).await?;
    let people: HashMap<i64, user::Model> = room_store::users(
        &state.db,
        incoming
            .iter()
            .chain(&outgoing)
            .flat_map(|r| [r.from_id, r.to_id]),
    )
    .await?;
    let convert = |rows: Vec<friend_request::Model>| {
        rows.iter()
            .filter_map(|r| {
                Some(to_request(
                    r,
                    people.get(&r.from_id)?,
                    people.get(&r.to_id)?,
                ))
            })
            .collect()
    };
    Ok(PendingRequests {
        incoming: convert(incoming),
        outgoing: convert(outgoing),
    })
}

/// Asks someone to be friends. If they already asked me, that request is accepted instead.
pub async fn request(
    state: &AppState,
    auth: &AuthUser,
    req: SendFriendRequest,
) -> AppResult<RequestResult> {
    let greeting = match req.greeting.as_deref() {
        Some(raw) => parse_profile_text(raw, rules::GREETING_MAX)
            .map_err(|p| AppError::field("greeting", p))?,
        None => None,
    };
    let them = other_person(state, auth, req.user_id).await?;
    let me = me(state, auth).await?;
    let (my_id, their_id) = (auth.user_id, req.user_id);
    let now = OffsetDateTime::now_utc();
    let txn = crate::db::write_txn(&state.db).await?;
    if store::blocked_either(&txn, my_id, their_id).await? {
        return Err(blocked());
    }
    if store::friendship(&txn, my_id, their_id).await?.is_some() {
        return Err(AppError::Rule {
            code: ErrorCode::AlreadyFriends,
            message: "you are friends already",
        });
    }
    if let Some(theirs) = store::settle(&txn, their_id, my_id, ACCEPTED, now).await? {
        store::befriend(&txn, my_id, their_id, now).await?;
        // Anything I had sent them is answered by this too.
        store::settle(&txn, my_id, their_id, ACCEPTED, now).await?;
        txn.commit().await?;
        notify(
            state,
            [my_id, their_id],
            FriendEvent::Request {
                request: to_request(&theirs, &them, &me),
            },
        )
        .await;
        announce_friends(state, &me, &them, now).await;
        return Ok(RequestResult::Accepted {
            friend: friend(state, &them, now).await,
        });
    }
    let already_pending = store::request(&txn, my_id, their_id)
        .await?
        .is_some_and(|r| r.state == PENDING);
    if !already_pending
        && store::pending_outgoing_count(&txn, my_id).await? >= state.config.friend_request_cap
    {
        return Err(AppError::Rule {
            code: ErrorCode::FriendRequestLimit,
            message: "too many friend requests are waiting for an answer",
        });
    }
    let row = store::put_request(&txn, my_id, their_id, greeting, now).await?;
    txn.commit().await?;
    let request = to_request(&row, &me, &them);
    notify(
        state,
        [my_id, their_id],
        FriendEvent::Request {
            request: request.clone(),
        },
    )
    .await;
    Ok(RequestResult::Sent { request })
}

/// Accepts or rejects the pending request `from` sent me; 404 if there is none.
pub async fn answer(
    state: &AppState,
    auth: &AuthUser,
    from: UserId,
    accept: bool,
) -> AppResult<FriendRequest> {
    let them = other_person(state, auth, from).await?;
    let me = me(state, auth).await?;
    let now = OffsetDateTime::now_utc();
    let txn = crate::db::write_txn(&state.db).await?;
    let settled = store::settle(
        &txn,
        from,
        auth.user_id,
        if accept { ACCEPTED } else { REJECTED },
        now,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    if accept {
        store::befriend(&txn, auth.user_id, from, now).await?;
        store::settle(&txn, auth.user_id, from, ACCEPTED, now).await?;
    }
    txn.commit().await?;
    let request = to_request(&settled, &them, &me);
    notify(
        state,
        [auth.user_id, from],
        FriendEvent::Request {
            request: request.clone(),
        },
    )
    .await;
    if accept {
        announce_friends(state, &me, &them, now).await;
    }
    Ok(request)
}

/// Withdraws my pending request to `to`; 404 if there is none.
pub async fn cancel(state: &AppState, auth: &AuthUser, to: UserId) -> AppResult<FriendRequest> {
    let them = other_person(state, auth, to).await?;
    let me = me(state, auth).await?;
    let now = OffsetDateTime::now_utc();
    let settled = store::settle(&state.db, auth.user_id, to, CANCELLED, now)
        .await?
        .ok_or(AppError::NotFound)?;
    let request = to_request(&settled, &me, &them);
    notify(
        state,
        [auth.user_id, to],
        FriendEvent::Request {
            request: request.clone(),
        },
    )
    .await;
    Ok(request)
}

/// Ends a friendship; 404 if we are not friends.
pub async fn unfriend(state: &AppState, auth: &AuthUser, user: UserId) -> AppResult<()> {
    other_person(state, auth, user).await?;
    if !store::unfriend(&state.db, auth.user_id, user).await? {
        return Err(AppError::NotFound);
    }
    announce_unfriended(state, auth.user_id, user).await;
    Ok(())
}

/// Blocks someone: no requests or private messages either way, the friendship ends, and
/// pending requests between us are settled (mine cancelled, theirs rejected).
pub async fn block(state: &AppState, auth: &AuthUser, user: UserId) -> AppResult<BlockedUser> {
    let them = other_person(state, auth, user).await?;
    let me = me(state, auth).await?;
    let now = OffsetDateTime::now_utc();
    let txn = crate::db::write_txn(&state.db).await?;
    store::block(&txn, auth.user_id, user, now).await?;
    let unfriended = store::unfriend(&txn, auth.user_id, user).await?;
    let mine = store::settle(&txn, auth.user_id, user, CANCELLED, now).await?;
    let theirs = store::settle(&txn, user, auth.user_id, REJECTED, now).await?;
    txn.commit().await?;
    if let Some(row) = mine {
        let request = to_request(&row, &me, &them);
        notify(
            state,
            [auth.user_id, user],
            FriendEvent::Request { request },
        )
        .await;
    }
    if let Some(row) = theirs {
        let request = to_request(&row, &them, &me);
        notify(
            state,
            [auth.user_id, user],
            FriendEvent::Request { request },
        )
        .await;
    }
    if unfriended {
        announce_unfriended(state, auth.user_id, user).await;
    }
    chat_blocked(state, auth.user_id, user, true).await?;
    Ok(BlockedUser {
        user: rooms::summary(&them),
        since: now,
    })
}

/// Lifts my block; 404 if there was none.
pub async fn unblock(state: &AppState, auth: &AuthUser, user: UserId) -> AppResult<()> {
    if !store::unblock(&state.db, auth.user_id, user).await? {
        return Err(AppError::NotFound);
    }
    if !store::blocked_either(&state.db, auth.user_id, user).await? {
        chat_blocked(state, auth.user_id, user, false).await?;
    }
    Ok(())
}

/// Tells the hub whether the private chat of these two (if they have one) carries
/// presence and typing.
async fn chat_blocked(state: &AppState, a: UserId, b: UserId, blocked: bool) -> AppResult<()> {
    if let Some(room) = crate::chats::service::direct_room(&state.db, a, b).await? {
        state
            .hub
            .blocked(api::RoomId(room.id), [a, b], blocked)
            .await;
    }
    Ok(())
}

/// The people I blocked, newest first.
pub async fn blocks(state: &AppState, auth: &AuthUser) -> AppResult<Vec<BlockedUser>> {
    let rows = store::blocks(&state.db, auth.user_id).await?;
    let people = room_store::users(&state.db, rows.iter().map(|b| b.blocked_id)).await?;
    Ok(rows
        .iter()
        .filter_map(|b| {
            Some(BlockedUser {
                user: rooms::summary(people.get(&b.blocked_id)?),
                since: b.created_at,
            })
        })
        .collect())
}
