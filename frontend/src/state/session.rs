//! Who is logged in. The tokens live in localStorage (so a reload, or a second tab, stays
//! logged in); the user is a signal the whole app derives from.

use crate::client::{self, ApiError, Verb};
use api::{auth::AuthSession, users::Me};
use leptos::{prelude::*, task::spawn_local};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

const TOKENS_KEY: &str = "teahouse.tokens";

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Tokens {
    access: String,
    refresh: String,
}

/// Why the app logged someone out without being asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// The account logged in somewhere else (single-session policy).
    Elsewhere,
    PasswordChanged,
    /// Site staff deactivated the account.
    Deactivated,
    Other,
}

#[derive(Clone, Copy)]
pub struct Session {
    /// The logged-in account; `None` when logged out.
    pub user: RwSignal<Option<Me>>,
    /// False until the stored session has been checked at start.
    pub ready: RwSignal<bool>,
    /// Set when the server ended the session, with its reason when the socket said it.
    pub ended: RwSignal<Option<Ended>>,
}

impl Session {
    /// Creates the context and, if tokens are stored, restores the session from them.
    pub fn provide() -> Self {
        let session = Self {
            user: RwSignal::new(None),
            ready: RwSignal::new(false),
            ended: RwSignal::new(None),
        };
        provide_context(session);
        spawn_local(async move {
            if load_tokens().is_some()
                && let Ok(me) = crate::client::users::me(session).await
            {
                session.user.set(Some(me));
            }
            session.ready.set(true);
        });
        session
    }

    /// Whether someone is logged in. Views that only care about that (route guards, page
    /// shells) track this, so a profile edit does not rebuild them.
    pub fn logged_in(&self) -> Memo<bool> {
        let user = self.user;
        Memo::new(move |_| user.with(Option::is_some))
    }

    pub fn signed_in(&self, auth: AuthSession) {
        save_tokens(&Tokens {
            access: auth.access_token,
            refresh: auth.refresh_token,
        });
        self.ended.set(None);
        self.user.set(Some(auth.user));
    }

    pub async fn logout(&self) {
        if let Some(tokens) = load_tokens() {
            // Ending the session on the server is best effort: offline, we still forget it.
            let _ = client::logout(&tokens.refresh).await;
        }
        clear_tokens();
        crate::state::drafts::clear_all();
        self.user.set(None);
    }

    /// The logged-in person's site role (a member when logged out).
    pub fn role(&self) -> Signal<api::users::Role> {
        let user = self.user;
        Signal::derive(move || user.with(|u| u.as_ref().map(|u| u.role).unwrap_or_default()))
    }

    /// The current access token, for the socket's `auth` frame.
    pub fn access_token(&self) -> Option<String> {
        load_tokens().map(|t| t.access)
    }

    /// The socket heard that this session ended (a newer login elsewhere, say).
    pub fn ended_by_server(&self, reason: Option<api::ws::EndReason>) {
        let ended = match reason {
            Some(api::ws::EndReason::Replaced) => Ended::Elsewhere,
            Some(api::ws::EndReason::PasswordChanged) => Ended::PasswordChanged,
            Some(api::ws::EndReason::Deactivated) => Ended::Deactivated,
            _ => Ended::Other,
        };
        if self.user.get_untracked().is_some() {
            self.ended.set(Some(ended));
        }
        clear_tokens();
        self.user.set(None);
    }

    /// Forgets this browser's session without asking the server (which already ended it:
    /// a password reset ends every session of the account).
    pub fn forget(&self) {
        clear_tokens();
        self.user.set(None);
    }

    /// The server says the session is over: forget it.
    fn end(&self) {
        clear_tokens();
        if self.user.get_untracked().is_some() && self.ended.get_untracked().is_none() {
            self.ended.set(Some(Ended::Other));
        }
        self.user.set(None);
    }

    /// An authenticated request. On 401 it refreshes the tokens once and retries; if that
    /// fails too the session is over.
    pub async fn request(
        &self,
        verb: Verb,
        path: &str,
        body: Option<&str>,
    ) -> Result<gloo_net::http::Response, ApiError> {
        let Some(tokens) = load_tokens() else {
            self.end();
            return Err(ApiError::unauthenticated());
        };
        let response = client::send(verb, path, Some(&tokens.access), body).await?;
        if response.status() != 401 {
            return client::check(response).await;
        }
        // Another tab or call may already have refreshed: use its tokens if so.
        let fresh = match load_tokens() {
            Some(latest) if latest.access != tokens.access => latest,
            _ => match client::refresh(&tokens.refresh).await {
                Ok(auth) => {
                    let fresh = Tokens {
                        access: auth.access_token,
                        refresh: auth.refresh_token,
                    };
                    save_tokens(&fresh);
                    fresh
                }
                Err(err) => {
                    if err.status == 401 {
                        // The server says why, in case the socket did not get to.
                        match err.body.details.as_ref().and_then(|d| d.reason) {
                            Some(reason) => self.ended_by_server(Some(reason)),
                            None => self.end(),
                        }
                    }
                    return Err(err);
                }
            },
        };
        let response = client::send(verb, path, Some(&fresh.access), body).await?;
        let result = client::check(response).await;
        if let Err(err) = &result
            && err.status == 401
        {
            self.end();
        }
        result
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let response = self.request(Verb::Get, path, None).await?;
        response.json().await.map_err(ApiError::unreachable)
    }

    pub async fn patch<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, ApiError> {
        let response = self
            .request(Verb::Patch, path, Some(&client::to_json(body)?))
            .await?;
        response.json().await.map_err(ApiError::unreachable)
    }

    /// A POST with a JSON answer.
    pub async fn post_json<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, ApiError> {
        let response = self
            .request(Verb::Post, path, Some(&client::to_json(body)?))
            .await?;
        response.json().await.map_err(ApiError::unreachable)
    }

    /// A DELETE whose answer has no body.
    pub async fn delete(&self, path: &str) -> Result<(), ApiError> {
        self.request(Verb::Delete, path, None).await.map(drop)
    }

    /// A PUT with a JSON answer.
    pub async fn put_json<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, ApiError> {
        let response = self
            .request(Verb::Put, path, Some(&client::to_json(body)?))
            .await?;
        response.json().await.map_err(ApiError::unreachable)
    }

    /// A DELETE with a JSON answer.
    pub async fn delete_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let response = self.request(Verb::Delete, path, None).await?;
        response.json().await.map_err(ApiError::unreachable)
    }

    /// A PUT whose answer has no body.
    pub async fn put_empty(&self, path: &str, body: &impl Serialize) -> Result<(), ApiError> {
        self.request(Verb::Put, path, Some(&client::to_json(body)?))
            .await
            .map(drop)
    }

    /// A POST whose answer has no body (204).
    pub async fn post_empty(&self, path: &str, body: &impl Serialize) -> Result<(), ApiError> {
        self.request(Verb::Post, path, Some(&client::to_json(body)?))
            .await
            .map(drop)
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

fn load_tokens() -> Option<Tokens> {
    super::storage::get_json(TOKENS_KEY)
}

fn save_tokens(tokens: &Tokens) {
    super::storage::set_json(TOKENS_KEY, tokens);
}

fn clear_tokens() {
    super::storage::remove(TOKENS_KEY);
}
