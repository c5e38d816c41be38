//! Word lists: the filter's server policies, the lists and their words (typed in or
//! imported from a file), and a test box. All staff read; only admins change anything —
//! the app hides the controls, the server checks.

use crate::{
    client::{ApiError, admin, admin_import},
    components::{files::input_files, form::Notice},
    i18n::*,
    state::session::use_session,
    text::{error_text, field_text},
};
use api::moderation::{
    AddWords, CreateWordCategory, EditWordCategory, ListedWord, TestText, TextTest, WordCategory,
    WordPolicies, WordPolicy, WordsAdded,
};
use leptos::{ev, prelude::*, task::spawn_local};
use leptos_i18n::I18nContext;

#[component]
pub fn Words() -> impl IntoView {
    view! {
        <Policies/>
        <Lists/>
        <TestBox/>
    }
}

/// A failed call, with the server's per-field problems: `words[i]` is named by the word
/// that was sent (`sent[i]`).
fn problem(i18n: I18nContext<Locale>, err: &ApiError, sent: &[String]) -> String {
    let mut parts = vec![error_text(i18n, err)];
    if let Some(details) = &err.body.details {
        for (field, code) in &details.fields {
            let index = field
                .strip_prefix("words[")
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|i| i.parse::<usize>().ok());
            let name = match (field.as_str(), index) {
                ("name", _) => t_string!(i18n, admin.words_list_name).to_string(),
                ("default", _) => t_string!(i18n, admin.words_policy_default).to_string(),
                ("minimum", _) => t_string!(i18n, admin.words_policy_minimum).to_string(),
                (_, Some(i)) => match sent.get(i) {
                    Some(word) => format!("「{word}」"),
                    None => t_string!(i18n, admin.words_line, line = i + 1).to_string(),
                },
                _ => field.clone(),
            };
            parts.push(format!("{name}: {}", field_text(i18n, *code)));
        }
    }
    parts.join(" ")
}

/// The server's default and minimum policy; admins change them.
#[component]
fn Policies() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let role = super::my_role();
    let policies = RwSignal::new(None::<WordPolicies>);
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    spawn_local(async move {
        match admin::policies(session).await {
            Ok(p) => policies.set(Some(p)),
            Err(e) => error.set(Some(error_text(i18n, &e))),
        }
    });
    let save = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let Some(body) = policies.get_untracked() else {
            return;
        };
        busy.set(true);
        saved.set(false);
        error.set(None);
        spawn_local(async move {
            let outcome = admin::set_policies(session, &body).await;
            busy.set(false);
            match outcome {
                Ok(p) => {
                    policies.set(Some(p));
                    saved.set(true);
                }
                Err(e) => error.set(Some(problem(i18n, &e, &[]))),
            }
        });
    };
    // One <select>: the default's, or (minimum) the minimum's.
    let select = move |id: &'static str, minimum: bool| {
        let current = move || {
            policies
                .get()
                .map(|p| if minimum { p.minimum } else { p.default })
        };
        view! {
            <select id=id disabled=move || !role.get().is_admin() on:change=move |ev| {
                if let Some(policy) = WordPolicy::parse(&event_target_value(&ev)) {
                    saved.set(false);
                    policies.update(|p| {
                        if let Some(p) = p {
                            if minimum { p.minimum = policy } else { p.default = policy }
                        }
                    });
                }
            }>
                {WordPolicy::ALL.into_iter().map(|p| view! {
                    <option value=p.as_str() prop:selected=move || current() == Some(p)>
                        {move || super::rooms::policy_text(i18n, p)}
                    </option>
                }).collect_view()}
            </select>
        }
    };
    view! {
        <section class="card">
            <h2>{t!(i18n, admin.words_policies)}</h2>
            <p class="muted small-text">{t!(i18n, admin.words_policies_intro)}</p>
            <Notice text=Signal::derive(move || error.get())/>
            <Notice success=true text=Signal::derive(move || saved.get().then(|| t_string!(i18n, admin.saved).to_string()))/>
            <Show when=move || policies.with(Option::is_some)
                fallback=move || view! { <p class="muted">{t!(i18n, app.loading)}</p> }>
                <form on:submit=save>
                    <div class="row">
                        <div class="field">
                            <label for="policy-default">{t!(i18n, admin.words_policy_default)}</label>
                            {select("policy-default", false)}
                        </div>
                        <div class="field">
                            <label for="policy-minimum">{t!(i18n, admin.words_policy_minimum)}</label>
                            {select("policy-minimum", true)}
                        </div>
                    </div>
                    <Show when=move || role.get().is_admin()
                        fallback=move || view! { <p class="muted small-text">{t!(i18n, admin.words_admins_only)}</p> }>
                        <div class="actions">
                            <button type="submit" class="primary" disabled=move || busy.get()>{t!(i18n, admin.save)}</button>
                        </div>
                    </Show>
                </form>
            </Show>
        </section>
    }
}

/// The word lists; opening one shows its words below.
#[component]
fn Lists() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let role = super::my_role();
    let lists = RwSignal::new(Vec::<WordCategory>::new());
    let loaded = RwSignal::new(false);
    let open = RwSignal::new(None::<i64>);
    let error = RwSignal::new(None::<String>);
    let new_name = RwSignal::new(String::new());
    let new_allow = RwSignal::new(false);
    let reload = move || {
        spawn_local(async move {
            match admin::categories(session).await {
                Ok(mut found) => {
                    found.sort_by(|a, b| a.name.cmp(&b.name));
                    lists.set(found);
                    loaded.set(true);
                }
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
        });
    };
    reload();
    let set_enabled = move |id: i64, enabled: bool| {
        error.set(None);
        spawn_local(async move {
            let body = EditWordCategory {
                enabled: Some(enabled),
                ..Default::default()
            };
            match admin::edit_category(session, id, &body).await {
                Ok(list) => lists.update(|all| {
                    if let Some(l) = all.iter_mut().find(|l| l.id == id) {
                        *l = list;
                    }
                }),
                Err(e) => {
                    error.set(Some(error_text(i18n, &e)));
                    // Puts the checkbox back as the server has it.
                    reload();
                }
            }
        });
    };
    let delete = move |id: i64, name: String| {
        let question = t_string!(i18n, admin.words_confirm_delete, name = name).to_string();
        if !window().confirm_with_message(&question).unwrap_or(false) {
            return;
        }
        error.set(None);
        spawn_local(async move {
            match admin::delete_category(session, id).await {
                Ok(()) => {
                    open.maybe_update(|o| {
                        let was_open = *o == Some(id);
                        if was_open {
                            *o = None;
                        }
                        was_open
                    });
                    lists.update(|all| all.retain(|l| l.id != id));
                }
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
        });
    };
    let add_examples = move |_| {
        error.set(None);
        spawn_local(async move {
            match admin::add_examples(session).await {
                Ok(mut found) => {
                    found.sort_by(|a, b| a.name.cmp(&b.name));
                    lists.set(found);
                }
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
        });
    };
    let create = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let name = new_name.get_untracked().trim().to_owned();
        if name.is_empty() {
            return;
        }
        let body = CreateWordCategory {
            name,
            allow: new_allow.get_untracked(),
        };
        error.set(None);
        spawn_local(async move {
            match admin::create_category(session, &body).await {
                Ok(list) => {
                    new_name.set(String::new());
                    new_allow.set(false);
                    let id = list.id;
                    lists.update(|all| {
                        all.push(list);
                        all.sort_by(|a, b| a.name.cmp(&b.name));
                    });
                    open.set(Some(id));
                }
                Err(e) => error.set(Some(problem(i18n, &e, &[]))),
            }
        });
    };
    // The open list as its panel needs it: the panel is rebuilt only when this changes,
    // not when a word count does.
    let current = Memo::new(move |_| {
        let id = open.get()?;
        lists.with(|all| {
            all.iter()
                .find(|l| l.id == id)
                .map(|l| (l.id, l.name.clone(), l.allow))
        })
    });
    let rows = move || {
        lists
            .get()
            .into_iter()
            .map(|list| {
                let id = list.id;
                let name = StoredValue::new(list.name.clone());
                view! {
                    <tr class:current=move || open.get() == Some(id)>
                        <td>
                            <button type="button" class="link list-name" aria-expanded=move || (open.get() == Some(id)).to_string()
                                on:click=move |_| open.update(|o| *o = if *o == Some(id) { None } else { Some(id) })>
                                <bdi>{list.name.clone()}</bdi>
                            </button>
                        </td>
                        <td>{move || if list.allow {
                            t_string!(i18n, admin.words_kind_allow)
                        } else {
                            t_string!(i18n, admin.words_kind_listed)
                        }}</td>
                        <td class="num">{list.words}</td>
                        <td>
                            <input type="checkbox" prop:checked=list.enabled disabled=move || !role.get().is_admin()
                                aria-label=move || t_string!(i18n, admin.words_enable_named, name = name.get_value()).to_string()
                                on:change=move |ev| set_enabled(id, event_target_checked(&ev))/>
                        </td>
                        <td>
                            <Show when=move || role.get().is_admin()>
                                <button type="button" class="link tiny danger" on:click=move |_| delete(id, name.get_value())>
                                    {t!(i18n, admin.words_delete_list)}
                                </button>
                            </Show>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card">
            <h2>{t!(i18n, admin.words_lists)}</h2>
            <p class="muted small-text">{t!(i18n, admin.words_lists_intro)}</p>
            <Notice text=Signal::derive(move || error.get())/>
            {move || if !loaded.get() {
                view! { <p class="muted">{t!(i18n, app.loading)}</p> }.into_any()
            } else if lists.with(Vec::is_empty) {
                view! { <p class="muted">{t!(i18n, admin.words_no_lists)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="admin-table">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, admin.words_col_name)}</th>
                                    <th scope="col">{t!(i18n, admin.words_col_kind)}</th>
                                    <th scope="col" class="num">{t!(i18n, admin.words_col_words)}</th>
                                    <th scope="col">{t!(i18n, admin.words_col_enabled)}</th>
                                    <th scope="col"><span class="visually-hidden">{t!(i18n, admin.words_col_actions)}</span></th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <Show when=move || role.get().is_admin()>
                <form class="filters" on:submit=create>
                    <input type="text" maxlength="64" required bind:value=new_name
                        aria-label=move || t_string!(i18n, admin.words_list_name)
                        placeholder=move || t_string!(i18n, admin.words_list_name)/>
                    <label class="check">
                        <input type="checkbox" bind:checked=new_allow/>
                        {t!(i18n, admin.words_list_allow)}
                    </label>
                    <button type="submit" class="small">{t!(i18n, admin.words_create)}</button>
                </form>
                <p class="small-text">
                    <button type="button" class="small" on:click=add_examples>{t!(i18n, admin.words_add_examples)}</button>
                    " "<span class="muted">{t!(i18n, admin.words_examples_hint)}</span>
                </p>
            </Show>
        </section>
        {move || current.get().map(|(id, name, allow)| view! {
            <ListWords id name allow
                changed=Callback::new(move |_| reload())
                close=Callback::new(move |_| open.set(None))/>
        })}
    }
}

/// One list's words: search, pages, adding, importing, removing.
#[component]
fn ListWords(
    id: i64,
    name: String,
    allow: bool,
    /// The list's word count changed.
    changed: Callback<()>,
    close: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let role = super::my_role();
    let words = RwSignal::new(Vec::<ListedWord>::new());
    let next = RwSignal::new(None::<i64>);
    let loaded = RwSignal::new(false);
    let search = RwSignal::new(String::new());
    let to_add = RwSignal::new(String::new());
    let result = RwSignal::new(None::<WordsAdded>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Each load's number: an answer to an older search is dropped.
    let generation = StoredValue::new(0u32);
    // The first page (`after` None) or the one after it.
    let load = move |after: Option<i64>| {
        let q = admin::query(&[
            (
                "query",
                search
                    .try_get_untracked()
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
            ),
            ("after", after.map(|a| a.to_string()).unwrap_or_default()),
        ]);
        generation.update_value(|g| *g = g.wrapping_add(1));
        let mine = generation.get_value();
        spawn_local(async move {
            let page = admin::words(session, id, &q).await;
            if generation.try_get_value() != Some(mine) {
                return;
            }
            match page {
                Ok(page) => {
                    words.update(|all| {
                        if after.is_none() {
                            all.clear();
                        }
                        all.extend(page.words);
                    });
                    next.set(page.next);
                    loaded.set(true);
                }
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
        });
    };
    load(None);
    let added = move |outcome: Result<WordsAdded, ApiError>, sent: &[String]| match outcome {
        Ok(done) => {
            result.set(Some(done));
            to_add.set(String::new());
            load(None);
            changed.try_run(());
        }
        Err(e) => error.set(Some(problem(i18n, &e, sent))),
    };
    let add = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let sent: Vec<String> = to_add
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        if sent.is_empty() {
            return;
        }
        busy.set(true);
        error.set(None);
        result.set(None);
        spawn_local(async move {
            let body = AddWords { words: sent };
            let outcome = admin::add_words(session, id, &body).await;
            busy.set(false);
            added(outcome, &body.words);
        });
    };
    let import = move |ev: ev::Event| {
        let Some(file) = input_files(&ev).into_iter().next() else {
            return;
        };
        // The same file may be picked again (after fixing it, say).
        event_target::<web_sys::HtmlInputElement>(&ev).set_value("");
        busy.set(true);
        error.set(None);
        result.set(None);
        spawn_local(async move {
            let outcome = admin_import::import(session, id, &file).await;
            busy.set(false);
            added(outcome, &[]);
        });
    };
    let remove = move |word: i64| {
        error.set(None);
        spawn_local(async move {
            match admin::remove_word(session, word).await {
                Ok(()) => {
                    words.update(|all| all.retain(|w| w.id != word));
                    changed.try_run(());
                }
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
        });
    };
    let title = name.clone();
    view! {
        <section class="card">
            <div class="section-head">
                <h2>{move || t_string!(i18n, admin.words_in_list, name = title.clone()).to_string()}</h2>
                <button type="button" class="link tiny" on:click=move |_| close.run(())>{t!(i18n, app.close)}</button>
            </div>
            {allow.then(|| view! { <p class="muted small-text">{t!(i18n, admin.words_allow_note)}</p> })}
            <form class="filters" role="search" on:submit=move |ev: ev::SubmitEvent| {
                ev.prevent_default();
                load(None);
            }>
                <input type="search" bind:value=search
                    aria-label=move || t_string!(i18n, admin.words_search)
                    placeholder=move || t_string!(i18n, admin.words_search)/>
                <button type="submit" class="small">{t!(i18n, admin.words_search_button)}</button>
            </form>
            <Notice text=Signal::derive(move || error.get())/>
            <Notice success=true text=Signal::derive(move || result.get().map(|r| {
                t_string!(i18n, admin.words_result, added = r.added, duplicates = r.duplicates, skipped = r.skipped).to_string()
            }))/>
            {move || if !loaded.get() {
                view! { <p class="muted">{t!(i18n, app.loading)}</p> }.into_any()
            } else if words.with(Vec::is_empty) {
                view! { <p class="muted">{t!(i18n, admin.words_none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="word-chips">
                        {words.get().into_iter().map(|w| {
                            let word_id = w.id;
                            let folded = (w.normalised != w.word).then(|| w.normalised.clone());
                            let label = w.word.clone();
                            view! {
                                <li>
                                    <bdi>{w.word.clone()}</bdi>
                                    {folded.map(|n| {
                                        let hint = n.clone();
                                        view! {
                                            <span class="muted small-text" title=move || t_string!(i18n, admin.words_matched_as, text = hint.clone()).to_string()>
                                                "→ "<bdi>{n}</bdi>
                                            </span>
                                        }
                                    })}
                                    <Show when=move || role.get().is_admin()>
                                        <button type="button" class="link tiny danger"
                                            aria-label={
                                                let label = label.clone();
                                                move || t_string!(i18n, admin.words_remove_named, word = label.clone()).to_string()
                                            }
                                            on:click=move |_| remove(word_id)>"✕"</button>
                                    </Show>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <Show when=move || next.get().is_some()>
                <button type="button" class="small" on:click=move |_| load(next.get_untracked())>{t!(i18n, admin.load_more)}</button>
            </Show>
            <Show when=move || role.get().is_admin()>
                <form on:submit=add>
                    <div class="field">
                        <label for="words-add">{t!(i18n, admin.words_add)}</label>
                        <textarea id="words-add" rows="4" bind:value=to_add></textarea>
                        <p class="hint">{t!(i18n, admin.words_add_hint)}</p>
                    </div>
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || busy.get()>{t!(i18n, admin.words_add_button)}</button>
                        <label class="button">
                            {t!(i18n, admin.words_import)}
                            <input type="file" class="visually-hidden" accept=".txt,.csv,text/plain,text/csv"
                                disabled=move || busy.get() on:change=import/>
                        </label>
                        <Show when=move || busy.get()>
                            <span class="muted small-text">{t!(i18n, admin.words_working)}</span>
                        </Show>
                    </div>
                    <p class="hint">{t!(i18n, admin.words_import_hint)}</p>
                </form>
            </Show>
        </section>
    }
}

/// What the enabled lists find in a text (nothing is recorded).
#[component]
fn TestBox() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<TextTest>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let body = TestText {
            text: text.get_untracked(),
        };
        if body.text.trim().is_empty() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let answer = admin::test_text(session, &body).await;
            busy.set(false);
            match answer {
                Ok(t) => outcome.set(Some(t)),
                Err(e) => {
                    outcome.set(None);
                    error.set(Some(error_text(i18n, &e)));
                }
            }
        });
    };
    view! {
        <section class="card">
            <h2>{t!(i18n, admin.words_test)}</h2>
            <p class="muted small-text">{t!(i18n, admin.words_test_intro)}</p>
            <form on:submit=submit>
                <div class="field">
                    <label for="filter-test">{t!(i18n, admin.words_test_text)}</label>
                    <textarea id="filter-test" rows="3" maxlength="4000" bind:value=text></textarea>
                </div>
                <Notice text=Signal::derive(move || error.get())/>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || busy.get()>{t!(i18n, admin.words_test_button)}</button>
                </div>
            </form>
            {move || outcome.get().map(|t| view! {
                <div class="test-result">
                    <h3>{t!(i18n, admin.words_test_normalised)}</h3>
                    <p class="test-text">{t.normalised}</p>
                    <h3>{t!(i18n, admin.words_test_hits)}</h3>
                    {if t.hits.is_empty() {
                        view! { <p class="muted">{t!(i18n, admin.words_test_no_hits)}</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-wrap">
                                <table class="admin-table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(i18n, admin.words_col_matched)}</th>
                                            <th scope="col">{t!(i18n, admin.words_col_word)}</th>
                                            <th scope="col">{t!(i18n, admin.words_col_list)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {t.hits.into_iter().map(|h| view! {
                                            <tr>
                                                <td><bdi>{h.at.text}</bdi></td>
                                                <td><bdi>{h.word}</bdi></td>
                                                <td><bdi>{h.category}</bdi></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }}
                    <h3>{t!(i18n, admin.words_test_masked)}</h3>
                    <p class="test-text">{t.masked}</p>
                </div>
            })}
        </section>
    }
}
