use crate::{
    client::ApiError,
    components::{
        files::{Avatar, AvatarPicker},
        form::{Notice, TextField},
    },
    i18n::*,
    state::session::use_session,
    text::{error_text, field_text, from_wire_name, tr, wire_name},
};
use api::users::{DirectMessages, EditProfile, Gender, Me, Role, Zodiac};
use leptos::{prelude::*, task::spawn_local};
use leptos_i18n::I18nContext;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let session = use_session();
    // Rebuilt only when someone logs in or out, not on every edit of the profile, so the
    // form keeps its state (and its "Saved" notice) across a save.
    let logged_in = session.logged_in();
    move || {
        logged_in
            .get()
            .then(|| session.user.get_untracked())
            .flatten()
            .map(|me| view! { <ProfileCard me=me.clone()/> <EditForm me/> })
    }
}

#[component]
fn ProfileCard(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let user = Signal::derive(move || session.user.get().unwrap_or_else(|| me.clone()));
    let avatar = move || {
        let u = user.get();
        let name = u.profile.display_name.clone().unwrap_or(u.username);
        view! { <Avatar id=u.id.0 name key=u.profile.avatar size=96/> }
    };
    // The answer is my account with its new avatar.
    let avatar_done = Callback::new(move |json: String| {
        if let Ok(me) = serde_json::from_str::<Me>(&json) {
            session.user.set(Some(me));
        }
    });
    let none = move || t_string!(i18n, profile.none).to_string();
    view! {
        <section class="card profile-card" aria-labelledby="profile-title">
            <div class="avatar-column">
                {avatar}
                <AvatarPicker path="/me/avatar" done=avatar_done/>
            </div>
            <div>
                <h2 id="profile-title">{move || user.get().profile.display_name.unwrap_or_else(|| user.get().username)}</h2>
                <p class="muted">"@"{move || user.get().username}</p>
                <p class="bio">{move || user.get().profile.bio.unwrap_or_default()}</p>
                <dl class="facts">
                    <dt>{t!(i18n, profile.email)}</dt><dd>{move || user.get().email}</dd>
                    <dt>{t!(i18n, profile.phone)}</dt><dd>{move || user.get().phone.unwrap_or_else(none)}</dd>
                    <dt>{t!(i18n, profile.location)}</dt><dd>{move || user.get().profile.location.unwrap_or_else(none)}</dd>
                    <dt>{t!(i18n, profile.role)}</dt>
                    <dd>{move || match user.get().role {
                        Role::Admin => t_string!(i18n, profile.role_admin),
                        Role::Moderator => t_string!(i18n, profile.role_moderator),
                        Role::Member => t_string!(i18n, profile.role_member),
                    }}</dd>
                    <dt>{t!(i18n, profile.member_since)}</dt>
                    <dd>{move || { let d = user.get().created_at.date(); format!("{}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()) }}</dd>
                </dl>
            </div>
        </section>
    }
}

#[component]
fn EditForm(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // The form edits its own copy; saving puts the server's answer back into the session.
    let display_name = RwSignal::new(me.profile.display_name.clone().unwrap_or_default());
    let bio = RwSignal::new(me.profile.bio.clone().unwrap_or_default());
    let location = RwSignal::new(me.profile.location.clone().unwrap_or_default());
    let gender = RwSignal::new(me.profile.gender);
    let zodiac = RwSignal::new(me.profile.zodiac);
    let invisible = RwSignal::new(me.invisible);
    let room_members_may_write = RwSignal::new(me.direct_messages == DirectMessages::RoomMembers);
    let read_receipts = RwSignal::new(me.read_receipts);
    let pending = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<(), ApiError>>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pending.set(true);
        result.set(None);
        let body = EditProfile {
            display_name: Some(display_name.get_untracked()),
            bio: Some(bio.get_untracked()),
            location: Some(location.get_untracked()),
            gender: Some(gender.get_untracked()),
            zodiac: Some(zodiac.get_untracked()),
            invisible: Some(invisible.get_untracked()),
            direct_messages: Some(if room_members_may_write.get_untracked() {
                DirectMessages::RoomMembers
            } else {
                DirectMessages::Friends
            }),
            read_receipts: Some(read_receipts.get_untracked()),
        };
        spawn_local(async move {
            match crate::client::users::edit_me(session, &body).await {
                Ok(me) => {
                    session.user.set(Some(me));
                    result.set(Some(Ok(())));
                }
                Err(err) => result.set(Some(Err(err))),
            }
            pending.set(false);
        });
    };
    let field_error = move |name: &'static str| {
        Signal::derive(move || {
            result.with(|r| match r {
                Some(Err(e)) => e.field(name).map(|c| field_text(i18n, c)),
                _ => None,
            })
        })
    };
    let notice = Signal::derive(move || {
        result.with(|r| match r {
            Some(Err(e)) => Some(error_text(i18n, e)),
            _ => None,
        })
    });
    let saved = Signal::derive(move || {
        matches!(result.get(), Some(Ok(()))).then(|| t_string!(i18n, profile.saved).to_string())
    });

    view! {
        <section class="card">
            <h2>{t!(i18n, profile.edit_title)}</h2>
            <form on:submit=submit>
                <Notice text=notice/>
                <TextField id="display_name" label=tr(move || t_string!(i18n, profile.display_name).to_string())
                    value=display_name autocomplete="nickname" error=field_error("display_name")/>
                <div class="field" class:invalid=move || field_error("bio").get().is_some()>
                    <label for="bio">{t!(i18n, profile.bio)}</label>
                    <textarea id="bio" name="bio" rows="4" maxlength=api::rules::BIO_MAX bind:value=bio></textarea>
                    {move || field_error("bio").get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
                </div>
                <TextField id="location" label=tr(move || t_string!(i18n, profile.location).to_string())
                    value=location error=field_error("location")/>
                <div class="row">
                    <div class="field">
                        <label for="gender">{t!(i18n, profile.gender)}</label>
                        <select id="gender" name="gender"
                            on:change=move |ev| gender.set(from_wire_name(&event_target_value(&ev)))>
                            {Gender::ALL.into_iter().map(|g| view! {
                                <option value=wire_name(&g) selected=move || gender.get() == g>{gender_label(i18n, g)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="zodiac">{t!(i18n, profile.zodiac)}</label>
                        <select id="zodiac" name="zodiac"
                            on:change=move |ev| zodiac.set(from_wire_name(&event_target_value(&ev)))>
                            {Zodiac::ALL.into_iter().map(|z| view! {
                                <option value=wire_name(&z) selected=move || zodiac.get() == z>{zodiac_label(i18n, z)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <fieldset class="privacy">
                    <legend>{t!(i18n, profile.privacy)}</legend>
                    <label class="check">
                        <input type="checkbox" id="invisible" bind:checked=invisible/>
                        {t!(i18n, profile.invisible)}
                    </label>
                    <label class="check">
                        <input type="checkbox" id="room_members_may_write" bind:checked=room_members_may_write/>
                        {t!(i18n, profile.room_members_may_write)}
                    </label>
                    <label class="check">
                        <input type="checkbox" id="read_receipts" bind:checked=read_receipts/>
                        {t!(i18n, profile.read_receipts)}
                    </label>
                </fieldset>
                <Notice text=saved success=true/>
                <button type="submit" class="primary" disabled=move || pending.get()>{t!(i18n, profile.save)}</button>
            </form>
        </section>
    }
}

pub fn gender_label(
    i18n: I18nContext<Locale>,
    gender: Gender,
) -> impl Fn() -> &'static str + Send + Sync + Copy {
    move || match gender {
        Gender::Unspecified => t_string!(i18n, gender.unspecified),
        Gender::Female => t_string!(i18n, gender.female),
        Gender::Male => t_string!(i18n, gender.male),
        Gender::Other => t_string!(i18n, gender.other),
    }
}

pub fn zodiac_label(
    i18n: I18nContext<Locale>,
    zodiac: Zodiac,
) -> impl Fn() -> &'static str + Send + Sync + Copy {
    move || match zodiac {
        Zodiac::Unspecified => t_string!(i18n, zodiac.unspecified),
        Zodiac::Aries => t_string!(i18n, zodiac.aries),
        Zodiac::Taurus => t_string!(i18n, zodiac.taurus),
        Zodiac::Gemini => t_string!(i18n, zodiac.gemini),
        Zodiac::Cancer => t_string!(i18n, zodiac.cancer),
        Zodiac::Leo => t_string!(i18n, zodiac.leo),
        Zodiac::Virgo => t_string!(i18n, zodiac.virgo),
        Zodiac::Libra => t_string!(i18n, zodiac.libra),
        Zodiac::Scorpio => t_string!(i18n, zodiac.scorpio),
        Zodiac::Sagittarius => t_string!(i18n, zodiac.sagittarius),
        Zodiac::Capricorn => t_string!(i18n, zodiac.capricorn),
        Zodiac::Aquarius => t_string!(i18n, zodiac.aquarius),
        Zodiac::Pisces => t_string!(i18n, zodiac.pisces),
    }
}
