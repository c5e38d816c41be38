use crate::{PostId, RoomId, UserId, rooms::UserSummary};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Whether someone is around, as their friends and co-members see it.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// A socket is open and its client reported activity in the last few minutes.
    Online,
    /// Sockets are open, but every one reports no activity for 5 minutes.
    Away,
    /// No socket open (or invisible).
    #[default]
    Offline,
}

/// One person's presence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserPresence {
    pub user_id: UserId,
    pub status: Presence,
    /// When they were last online; `None` when online, or never seen.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub last_seen_at: Option<OffsetDateTime>,
}

/// Where I stand with someone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// That is me.
    Me,
    None,
    Friend,
    /// I asked; they have not answered.
    RequestSent,
    /// They asked; I have not answered.
    RequestReceived,
    /// I blocked them.
    Blocked,
}

/// A search result (`GET /users?query=`): what a stranger may see.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserCard {
    pub user: UserSummary,
    pub relation: Relation,
}

/// Someone I am friends with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Friend {
    pub user: UserSummary,
    #[serde(with = "time::serde::rfc3339")]
    pub since: OffsetDateTime,
    pub presence: UserPresence,
}

/// The order of a friend list: online first, then away, then offline; by name within each.
pub fn sort_friends(friends: &mut [Friend]) {
    friends.sort_by(|a, b| {
        a.presence.status.cmp(&b.presence.status).then_with(|| {
            a.user
                .name()
                .to_lowercase()
                .cmp(&b.user.name().to_lowercase())
        })
    });
}

/// `POST /friends/requests`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SendFriendRequest {
    pub user_id: UserId,
    /// Up to 200 characters, shown with the request.
    #[serde(default)]
    pub greeting: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    /// Waiting for an answer; shown to the receiver at every login until answered.
    Pending,
    Accepted,
    Rejected,
    /// Withdrawn by the sender.
    Cancelled,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FriendRequest {
    pub from: UserSummary,
    pub to: UserSummary,
    pub greeting: Option<String>,
    pub state: RequestState,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// `GET /friends/requests`: what waits for an answer, newest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingRequests {
    /// Others asked me.
    pub incoming: Vec<FriendRequest>,
    /// I asked others.
    pub outgoing: Vec<FriendRequest>,
}

/// What sending a request did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RequestResult {
    /// Sent (or sent again); waiting for them.
    Sent { request: FriendRequest },
    /// They had already asked me: that request is accepted and we are friends.
    Accepted { friend: Friend },
}

/// `POST /blocks`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BlockUser {
    pub user_id: UserId,
}

/// Someone I blocked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlockedUser {
    pub user: UserSummary,
    #[serde(with = "time::serde::rfc3339")]
    pub since: OffsetDateTime,
}

/// `POST /chats`: open (or find) the private chat with someone.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OpenChat {
    pub user_id: UserId,
}

/// A private chat: a room of two with one post. Messages go to `post_id` as in any room.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DirectChat {
    pub room_id: RoomId,
    pub post_id: PostId,
    /// The room's newest event; a socket resumes from here.
    pub seq: i64,
    pub peer: UserSummary,
}

/// A change in my friends, pushed to every socket of mine (the `friends` frame).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FriendEvent {
    /// A request was sent, sent again, or answered (to both sides).
    Request { request: FriendRequest },
    /// We became friends.
    Added { friend: Friend },
    /// We are no longer friends (unfriended, or blocked).
    Removed { user_id: UserId },
}
