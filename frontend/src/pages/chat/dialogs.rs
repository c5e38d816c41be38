//! Creating, joining and editing rooms and topics.

use crate::components::dialog::{Dialog, DialogActions};
use crate::{
    app::Page,
    client::ApiError,
    client::rooms,
    components::{
        files::{Avatar, AvatarPicker},
        form::{Notice, TextField},
    },
    i18n::*,
    state::chat::use_chat,
    state::conversation::use_conversation,
    text::{error_text, tr},
};
use api::{
    RoomId,
    moderation::WordPolicy,
    posts::{CreatePost, Post},
    rooms::{CreateRoom, JoinResult, JoinRoom, Room, Visibility},
};
use leptos::{ev, prelude::*, task::spawn_local};
use leptos_router::hooks::use_navigate;

#[component]
pub fn EditRoomDialog(room: Room, close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let id = room.id;
    let name = RwSignal::new(room.name.clone());
    let description = RwSignal::new(room.description.clone().unwrap_or_default());
    let private = RwSignal::new(room.visibility == Visibility::Private);
    let members_mention_all = RwSignal::new(room.members_mention_all);
    let slow_mode = RwSignal::new(room.slow_mode_secs);
    // The word filter is the owner's to choose, no milder than the server's minimum.
    let owner = chat.me() == Some(room.owner_id);
    let policies = chat
        .server
        .with_untracked(|s| s.as_ref().map(|s| s.word_policies))
        .unwrap_or_default();
    let word_policy = RwSignal::new(room.word_policy);
    let chose_policy = room.word_policy;
    // The usual choices, and the room's own if it is another (set through the API).
    let mut slow_choices = vec![0u32, 10, 30, 60, 300, 900, 3600];
    if !slow_choices.contains(&room.slow_mode_secs) {
        slow_choices.push(room.slow_mode_secs);
        slow_choices.sort_unstable();
    }
    let error = RwSignal::new(None::<ApiError>);
    let avatar_key = RwSignal::new(room.avatar.clone());
    let room_name = room.name.clone();
    // The answer is the room's card with its new avatar.
    let avatar_done = Callback::new(move |json: String| {
        if let Ok(card) = serde_json::from_str::<Room>(&json) {
            avatar_key.set(card.avatar);
            chat.reload_rooms();
        }
    });
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let body = api::rooms::EditRoom {
            name: Some(name.get_untracked()),
            description: Some(description.get_untracked()),
            visibility: Some(if private.get_untracked() {
                Visibility::Private
            } else {
                Visibility::Public
            }),
            members_mention_all: Some(members_mention_all.get_untracked()),
            slow_mode_secs: Some(slow_mode.get_untracked()),
        };
        let policy = word_policy.get_untracked();
        spawn_local(async move {
            if owner
                && policy != chose_policy
                && let Err(e) = rooms::set_word_policy(chat.session, id, policy).await
            {
                error.set(Some(e));
                return;
            }
            match rooms::edit(chat.session, id, &body).await {
                Ok(_) => {
                    chat.reload_rooms();
                    close.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let policy_name = move |p: WordPolicy| match p {
        WordPolicy::Off => t_string!(i18n, admin.policy_off),
        WordPolicy::Warn => t_string!(i18n, admin.policy_warn),
        WordPolicy::Mask => t_string!(i18n, admin.policy_mask),
        WordPolicy::Block => t_string!(i18n, admin.policy_block),
    };
    view! {
        <Dialog title=tr(move || t_string!(i18n, chat.edit_room).to_string()) close>
            <form on:submit=submit>
                <Notice text=Signal::derive(move || error.get().map(|e| error_text(i18n, &e)))/>
                <div class="avatar-row">
                    {move || view! { <Avatar id=id.0 name=room_name.clone() key=avatar_key.get() size=64/> }}
                    <AvatarPicker path=format!("/rooms/{id}/avatar") done=avatar_done/>
                </div>
                <RoomFields name description private/>
                <label class="check"><input type="checkbox" bind:checked=members_mention_all/>" "{t!(i18n, chat.members_mention_all)}</label>
                <div class="field">
                    <label for="slow-mode">{t!(i18n, chat.slow_mode_label)}</label>
                    <select id="slow-mode" on:change=move |ev| slow_mode.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {slow_choices.into_iter().map(|secs| view! {
                            <option value=secs.to_string() selected=move || slow_mode.get() == secs>
                                {move || slow_mode_choice(i18n, secs)}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                {owner.then(|| view! {
                    <div class="field">
                        <label for="word-policy">{t!(i18n, chat.word_policy_label)}</label>
                        <select id="word-policy" on:change=move |ev| word_policy.set(WordPolicy::parse(&event_target_value(&ev)))>
                            <option value="" selected=move || word_policy.get().is_none()>
                                {move || t_string!(i18n, chat.word_policy_default, policy = policy_name(policies.default)).to_string()}
                            </option>
                            {WordPolicy::ALL.into_iter().filter(|p| *p >= policies.minimum).map(|p| view! {
                                <option value=p.as_str() selected=move || word_policy.get() == Some(p)>{move || policy_name(p)}</option>
                            }).collect_view()}
                        </select>
                        <p class="hint">{t!(i18n, chat.word_policy_hint)}</p>
                    </div>
                })}
                <DialogActions close submit=tr(move || t_string!(i18n, chat.save).to_string())/>
            </form>
        </Dialog>
    }
}

/// A slow-mode interval as a choice: off, seconds, minutes or hours.
fn slow_mode_choice(i18n: leptos_i18n::I18nContext<Locale>, secs: u32) -> String {
    match secs {
        0 => t_string!(i18n, chat.slow_mode_off).to_string(),
        s if s % 3600 == 0 => t_string!(i18n, chat.slow_mode_hours, n = s / 3600).to_string(),
        s if s % 60 == 0 => t_string!(i18n, chat.slow_mode_minutes, n = s / 60).to_string(),
        s => t_string!(i18n, chat.slow_mode_seconds, n = s).to_string(),
    }
}

#[component]
pub fn EditPostDialog(room: RoomId, post: Post, close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let convo = use_conversation();
    let i18n = use_i18n();
    let navigate = use_navigate();
    let id = post.id;
    let title = RwSignal::new(post.title.clone());
    let description = RwSignal::new(post.description.clone().unwrap_or_default());
    let tags = RwSignal::new(post.tags.join(", "));
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let body = api::posts::EditPost {
            title: Some(title.get_untracked()),
            description: Some(description.get_untracked()),
            tags: Some(split_tags(&tags.get_untracked())),
        };
        spawn_local(async move {
            match rooms::edit_post(chat.session, id, &body).await {
                Ok(_) => {
                    convo.reload_posts();
                    close.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let delete = move |_| {
        let yes = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(t_string!(i18n, chat.confirm_delete_post))
                    .ok()
            })
            .unwrap_or(false);
        if !yes {
            return;
        }
        let navigate = navigate.clone();
        spawn_local(async move {
            match rooms::delete_post(chat.session, id).await {
                Ok(()) => {
                    convo.reload_posts();
                    close.run(());
                    let default = chat.rooms.with_untracked(|r| {
                        r.iter()
                            .find(|r| r.room.id == room)
                            .map(|r| r.default_post_id)
                    });
                    if let Some(default) = default {
                        navigate(
                            &Page::Conversation(room, default).path(),
                            Default::default(),
                        );
                    }
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <Dialog title=tr(move || t_string!(i18n, chat.edit_post).to_string()) close>
            <form on:submit=submit>
                <Notice text=Signal::derive(move || error.get().map(|e| error_text(i18n, &e)))/>
                <PostFields title description tags error/>
                <div class="actions">
                    <button type="button" class="small danger" on:click=delete.clone()>{t!(i18n, chat.delete_post)}</button>
                    <button type="button" class="small" on:click=move |_| close.run(())>{t!(i18n, chat.cancel)}</button>
                    <button type="submit" class="primary">{t!(i18n, chat.save)}</button>
                </div>
            </form>
        </Dialog>
    }
}

/// Tags as typed: separated by ASCII or full-width commas.
pub fn split_tags(raw: &str) -> Vec<String> {
    raw.split([',', '，'])
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Name, description and privacy: the same fields to create a room and to edit one.
#[component]
pub fn RoomFields(
    name: RwSignal<String>,
    description: RwSignal<String>,
    private: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TextField id="room_name" label=tr(move || t_string!(i18n, chat.room_name).to_string()) value=name required=true/>
        <TextField id="room_description" label=tr(move || t_string!(i18n, chat.room_description).to_string()) value=description/>
        <label class="check"><input type="checkbox" bind:checked=private/>" "{t!(i18n, chat.private_room)}</label>
    }
}

#[component]
pub fn CreateRoomDialog(close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let private = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let body = CreateRoom {
            name: name.get_untracked(),
            description: Some(description.get_untracked()).filter(|d| !d.trim().is_empty()),
            visibility: if private.get_untracked() {
                Visibility::Private
            } else {
                Visibility::Public
            },
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match rooms::create(chat.session, &body).await {
                Ok(room) => {
                    chat.rooms.update(|r| r.insert(0, room.clone()));
                    close.run(());
                    navigate(
                        &Page::Conversation(room.room.id, room.default_post_id).path(),
                        Default::default(),
                    );
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <Dialog title=tr(move || t_string!(i18n, chat.new_room).to_string()) close>
            <form on:submit=submit>
                <Notice text=Signal::derive(move || error.get().map(|e| error_text(i18n, &e)))/>
                <RoomFields name description private/>
                <DialogActions close submit=tr(move || t_string!(i18n, chat.create).to_string())/>
            </form>
        </Dialog>
    }
}

#[component]
pub fn JoinRoomDialog(close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let navigate = use_navigate();
    let number = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let requested = RwSignal::new(false);
    let public_rooms = LocalResource::new(move || async move {
        rooms::discover(chat.session).await.unwrap_or_default()
    });
    let join = move |n: i64| {
        let navigate = navigate.clone();
        let body = JoinRoom {
            number: n,
            message: Some(message.get_untracked()).filter(|m| !m.trim().is_empty()),
        };
        spawn_local(async move {
            match rooms::join(chat.session, &body).await {
                Ok(JoinResult::Joined { room }) => {
                    chat.reload_rooms();
                    close.run(());
                    navigate(
                        &Page::Conversation(room.room.id, room.default_post_id).path(),
                        Default::default(),
                    );
                }
                Ok(JoinResult::Requested) => requested.set(true),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let join_typed = join.clone();
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        match number.get_untracked().trim().parse::<i64>() {
            Ok(n) => join_typed(n),
            Err(_) => error.set(Some(ApiError {
                status: 404,
                body: api::ErrorBody {
                    code: api::ErrorCode::NotFound,
                    message: String::new(),
                    details: None,
                },
            })),
        }
    };
    view! {
        <Dialog title=tr(move || t_string!(i18n, chat.join_room).to_string()) close>
            <form on:submit=submit>
                <Notice text=Signal::derive(move || error.get().map(|e| error_text(i18n, &e)))/>
                <Notice success=true text=Signal::derive(move || requested.get().then(|| t_string!(i18n, chat.request_sent).to_string()))/>
                <TextField id="room_number" kind="text" label=tr(move || t_string!(i18n, chat.room_number).to_string()) value=number required=true/>
                <TextField id="join_message" label=tr(move || t_string!(i18n, chat.join_message).to_string()) value=message/>
                <DialogActions close submit=tr(move || t_string!(i18n, chat.join).to_string())/>
            </form>
            <h3>{t!(i18n, chat.public_rooms)}</h3>
            <ul class="discover">
                {move || public_rooms.get().unwrap_or_default().into_iter().map(|r| {
                    let join = join.clone();
                    let n = r.number;
                    let name = r.name.clone();
                    let label = move || format!("{} {}", t_string!(i18n, chat.join), name);
                    view! {
                        <li>
                            <span class="room-name">{r.name.clone()}</span>
                            <span class="muted small-text">{t!(i18n, chat.number_label)}" "{r.number}" · "{move || t_string!(i18n, chat.member_count, count = r.member_count).to_string()}</span>
                            <button type="button" class="link tiny" aria-label=label on:click=move |_| join(n)>{t!(i18n, chat.join)}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Dialog>
    }
}

/// Title, description and tags: the same fields to open a topic and to edit one, with the
/// server's verdict on each.
#[component]
pub fn PostFields(
    title: RwSignal<String>,
    description: RwSignal<String>,
    tags: RwSignal<String>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let field_error = move |name: &'static str| {
        Signal::derive(move || {
            error
                .get()
                .and_then(|e| e.field(name))
                .map(|c| crate::text::field_text(i18n, c))
        })
    };
    view! {
        <TextField id="post_title" label=tr(move || t_string!(i18n, chat.post_title).to_string()) value=title required=true error=field_error("title")/>
        <TextField id="post_description" label=tr(move || t_string!(i18n, chat.post_description).to_string()) value=description/>
        <TextField id="post_tags" label=tr(move || t_string!(i18n, chat.post_tags).to_string()) value=tags error=field_error("tags")/>
    }
}

#[component]
pub fn CreatePostDialog(room: RoomId, close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let convo = use_conversation();
    let i18n = use_i18n();
    let navigate = use_navigate();
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let tags = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let body = CreatePost {
            title: title.get_untracked(),
            description: Some(description.get_untracked()).filter(|d| !d.trim().is_empty()),
            tags: split_tags(&tags.get_untracked()),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match rooms::create_post(chat.session, room, &body).await {
                Ok(post) => {
                    convo.reload_posts();
                    close.run(());
                    navigate(
                        &Page::Conversation(room, post.id).path(),
                        Default::default(),
                    );
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <Dialog title=tr(move || t_string!(i18n, chat.new_post).to_string()) close>
            <form on:submit=submit>
                <Notice text=Signal::derive(move || error.get().map(|e| error_text(i18n, &e)))/>
                <PostFields title description tags error/>
                <DialogActions close submit=tr(move || t_string!(i18n, chat.create).to_string())/>
            </form>
        </Dialog>
    }
}
