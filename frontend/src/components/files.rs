//! Files in the app: uploading with progress, images and downloads that need the bearer
//! token (fetched as blobs: an `<img src>` cannot carry it), the full-size viewer, file
//! cards, and avatars (public URLs, or the generated initial on a colour).

use crate::{
    client::{self, ApiError, Verb},
    i18n::*,
    state::session::{Session, use_session},
    text::error_text,
};
use api::{
    ErrorBody,
    files::{FileInfo, avatar_hue, avatar_initial, avatar_url, human_size},
};
use leptos::{prelude::*, task::spawn_local};
use wasm_bindgen::{JsCast as _, JsValue, closure::Closure};
use web_sys::{Blob, BlobPropertyBag, FormData, ProgressEvent, Url, XmlHttpRequest};

/// An avatar: the uploaded one, or the initial of `name` on the colour of `id`.
#[component]
pub fn Avatar(
    id: i64,
    #[prop(into)] name: String,
    #[prop(into)] key: Option<String>,
    /// Pixels on screen; the 256 px variant is used above 64.
    #[prop(default = 32)]
    size: u32,
) -> impl IntoView {
    let style = format!("--avatar-size:{size}px;--avatar-hue:{}", avatar_hue(id));
    match key {
        Some(key) => {
            let variant = if size > 64 { 256 } else { 64 };
            view! {
                <img class="avatar" style=style src=avatar_url(&key, variant) alt="" width=size height=size loading="lazy"/>
            }
            .into_any()
        }
        None => view! {
            <span class="avatar" style=style aria-hidden="true">{avatar_initial(&name)}</span>
        }
        .into_any(),
    }
}

/// Fetches an authorised file as a blob URL (revoked when the owner goes away).
async fn blob_url(session: Session, path: &str) -> Result<String, ApiError> {
    let response = session.request(Verb::Get, path, None).await?;
    let mime = response.headers().get("content-type").unwrap_or_default();
    let bytes = response.binary().await.map_err(ApiError::unreachable)?;
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let parts = js_sys::Array::of1(&array);
    let options = BlobPropertyBag::new();
    options.set_type(&mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| ApiError::unreachable(format!("{e:?}")))?;
    Url::create_object_url_with_blob(&blob).map_err(|e| ApiError::unreachable(format!("{e:?}")))
}

/// Strips the API prefix: `Session::request` takes paths below it.
fn api_path(url: &str) -> &str {
    url.strip_prefix(api::API_PREFIX).unwrap_or(url)
}

/// An image behind the bearer token, with its box reserved from the known dimensions.
#[component]
pub fn AuthImage(
    #[prop(into)] url: String,
    #[prop(into)] alt: String,
    width: Option<u32>,
    height: Option<u32>,
) -> impl IntoView {
    let session = use_session();
    let src = RwSignal::new(None::<String>);
    let failed = RwSignal::new(false);
    spawn_local(async move {
        match blob_url(session, api_path(&url)).await {
            Ok(u) => src.set(Some(u)),
            Err(_) => failed.set(true),
        }
    });
    on_cleanup(move || {
        if let Some(u) = src.get_untracked() {
            let _ = Url::revoke_object_url(&u);
        }
    });
    let style = match (width, height) {
        (Some(w), Some(h)) if w > 0 && h > 0 => {
            format!("aspect-ratio:{w}/{h};width:min({w}px,100%)")
        }
        _ => String::new(),
    };
    view! {
        <img class="auth-image" class:failed=failed style=style alt=alt
            src=move || src.get().unwrap_or_default()/>
    }
}

/// Saves an authorised file under its name (through a blob, as the token must be sent).
pub fn download(session: Session, file: FileInfo) {
    spawn_local(async move {
        let Ok(url) = blob_url(session, api_path(&file.url())).await else {
            return;
        };
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if let Ok(a) = document.create_element("a")
            && let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>()
        {
            a.set_href(&url);
            a.set_download(&file.name);
            a.click();
        }
        // Give the browser the moment it needs to start the download.
        revoke_later(url);
    });
}

fn revoke_later(url: String) {
    let free = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    if let Some(window) = web_sys::window() {
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(free.unchecked_ref(), 60_000);
    }
}

/// A message's files: images as thumbnails (click for full size), others as cards.
#[component]
pub fn Attachments(files: Vec<FileInfo>) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let viewing = RwSignal::new(None::<FileInfo>);
    let (images, others): (Vec<FileInfo>, Vec<FileInfo>) =
        files.into_iter().partition(FileInfo::is_image);
    view! {
        <div class="attachments">
            {images.into_iter().map(|f| {
                let open = f.clone();
                let alt = f.name.clone();
                view! {
                    <button type="button" class="thumb" title=f.name.clone() on:click=move |_| viewing.set(Some(open.clone()))>
                        <AuthImage url=f.thumb_url() alt width=f.thumb_width height=f.thumb_height/>
                    </button>
                }
            }).collect_view()}
            {others.into_iter().map(|f| {
                let save = f.clone();
                view! {
                    <div class="file-card">
                        <svg class="file-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
                            <path fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"
                                d="M6 2.5h8l5 5v14H6zM14 2.5v5h5"/>
                        </svg>
                        <bdi class="file-name" title=f.name.clone()>{f.name.clone()}</bdi>
                        <span class="muted">{human_size(f.size)}</span>
                        <button type="button" class="link" on:click=move |_| download(session, save.clone())>
                            {move || t_string!(i18n, files.download)}
                        </button>
                    </div>
                }
            }).collect_view()}
        </div>
        {move || viewing.get().map(|f| view! { <Viewer file=f close=Callback::new(move |_| viewing.set(None))/> })}
    }
}

/// The full-size image over everything; Escape or a click closes it.
#[component]
fn Viewer(file: FileInfo, close: Callback<()>) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let save = file.clone();
    let panel = NodeRef::<leptos::html::Div>::new();
    crate::components::dialog::trap_focus(panel);
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            ev.stop_propagation();
            close.run(());
        } else if ev.key() == "Tab" {
            crate::components::dialog::keep_tab_inside(panel, &ev);
        }
    };
    view! {
        <div class="overlay viewer" role="dialog" aria-modal="true" aria-label=file.name.clone()
            tabindex="-1" node_ref=panel
            on:click=move |_| close.run(())
            on:keydown=on_key>
            <AuthImage url=file.url() alt=file.name.clone() width=file.width height=file.height/>
            <div class="viewer-bar" on:click=|ev: leptos::ev::MouseEvent| ev.stop_propagation()>
                <span>{file.name.clone()}</span>
                <button type="button" on:click=move |_| download(session, save.clone())>{move || t_string!(i18n, files.download)}</button>
                <button type="button" on:click=move |_| close.run(())>{move || t_string!(i18n, files.close)}</button>
            </div>
        </div>
    }
}

/// What became of one upload.
#[derive(Clone, Debug, PartialEq)]
pub enum UploadState {
    /// Bytes sent so far, of the total.
    Sending(f64),
    /// The server's answer (a `FileInfo`; for an avatar, the account or the room).
    Done(String),
    Failed(String),
}

impl UploadState {
    /// The stored file, once an upload to `/files` is done.
    pub fn file(&self) -> Option<FileInfo> {
        match self {
            Self::Done(json) => serde_json::from_str(json).ok(),
            _ => None,
        }
    }
}

/// One file being uploaded from the composer or a form.
#[derive(Clone)]
pub struct Upload {
    pub key: u32,
    pub name: String,
    pub size: f64,
    pub state: RwSignal<UploadState>,
    xhr: StoredValue<Option<XmlHttpRequest>, LocalStorage>,
}

impl Upload {
    /// Stops an upload in flight (its request is aborted; nothing is kept), or deletes an
    /// upload that finished but was not sent.
    pub fn cancel(&self, session: Session) {
        if let Some(xhr) = self.xhr.get_value() {
            let _ = xhr.abort();
        }
        if let Some(info) = self.state.get_untracked().file() {
            spawn_local(async move {
                let _ = client::files::delete(session, &info.id).await;
            });
        }
    }
}

thread_local! {
    static NEXT_KEY: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
}

/// Starts uploading `file` to `path` (`POST /files`, or `PUT` an avatar) with `method`.
/// Checks the server's size limit first, so a file that is too large is refused at once.
pub fn start_upload(
    session: Session,
    i18n: leptos_i18n::I18nContext<Locale>,
    method: &'static str,
    path: String,
    file: web_sys::File,
) -> Upload {
    let key = NEXT_KEY.with(|k| {
        let v = k.get();
        k.set(v + 1);
        v
    });
    let upload = Upload {
        key,
        name: file.name(),
        size: file.size(),
        state: RwSignal::new(UploadState::Sending(0.0)),
        xhr: StoredValue::new_local(None),
    };
    let state = upload.state;
    let xhr_slot = upload.xhr;
    spawn_local(async move {
        // Also refreshes the token if it expired, so the upload itself carries a good one.
        let limits = match client::files::usage(session).await {
            Ok(limits) => limits,
            Err(err) => return state.set(UploadState::Failed(error_text(i18n, &err))),
        };
        if file.size() > limits.max_upload_bytes as f64 {
            return state.set(UploadState::Failed(
                t_string!(
                    i18n,
                    files.too_large,
                    limit = human_size(limits.max_upload_bytes)
                )
                .to_string(),
            ));
        }
        let Some(token) = session.access_token() else {
            return state.set(UploadState::Failed(error_text(
                i18n,
                &ApiError::unauthenticated(),
            )));
        };
        match send_xhr(method, &path, &token, &file, state, xhr_slot).await {
            Ok((status, text)) if (200..300).contains(&status) => {
                state.set(UploadState::Done(text))
            }
            Ok((status, text)) => {
                let err = match serde_json::from_str::<ErrorBody>(&text) {
                    Ok(body) => ApiError { status, body },
                    Err(_) => ApiError::unreachable(format!("HTTP {status}")),
                };
                state.set(UploadState::Failed(error_text(i18n, &err)));
            }
            Err(None) => {} // cancelled
            Err(Some(why)) => state.set(UploadState::Failed(error_text(
                i18n,
                &ApiError::unreachable(why),
            ))),
        }
        xhr_slot.set_value(None);
    });
    upload
}

/// One XMLHttpRequest (fetch cannot report upload progress). `Err(None)`: aborted.
async fn send_xhr(
    method: &str,
    path: &str,
    token: &str,
    file: &web_sys::File,
    state: RwSignal<UploadState>,
    slot: StoredValue<Option<XmlHttpRequest>, LocalStorage>,
) -> Result<(u16, String), Option<String>> {
    let fail = |e: JsValue| Some(format!("{e:?}"));
    let xhr = XmlHttpRequest::new().map_err(fail)?;
    xhr.open_with_async(method, &client::url(path), true)
        .map_err(fail)?;
    xhr.set_request_header("Authorization", &format!("Bearer {token}"))
        .map_err(fail)?;
    let form = FormData::new().map_err(fail)?;
    // The exact name as its own part: browsers escape quotes in a part's filename.
    form.append_with_str("name", &file.name()).map_err(fail)?;
    form.append_with_blob_and_filename("file", file, &file.name())
        .map_err(fail)?;
    let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |ev: ProgressEvent| {
        if ev.length_computable() && ev.total() > 0.0 {
            state.set(UploadState::Sending(ev.loaded() / ev.total()));
        }
    });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = resolve.clone();
        let load = Closure::once_into_js(move || {
            let _ = ok.call0(&JsValue::NULL);
        });
        xhr.set_onload(Some(load.unchecked_ref()));
        let err = reject.clone();
        let error = Closure::once_into_js(move || {
            let _ = err.call1(&JsValue::NULL, &JsValue::from_str("network"));
        });
        xhr.set_onerror(Some(error.unchecked_ref()));
        let abort = Closure::once_into_js(move || {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("abort"));
        });
        xhr.set_onabort(Some(abort.unchecked_ref()));
    });
    slot.set_value(Some(xhr.clone()));
    xhr.send_with_opt_form_data(Some(&form)).map_err(fail)?;
    let outcome = wasm_bindgen_futures::JsFuture::from(done).await;
    drop(on_progress);
    match outcome {
        Ok(_) => Ok((
            xhr.status().unwrap_or(0),
            xhr.response_text().ok().flatten().unwrap_or_default(),
        )),
        Err(why) if why.as_string().as_deref() == Some("abort") => Err(None),
        Err(why) => Err(Some(format!("{why:?}"))),
    }
}

/// An upload's line: name, progress bar or outcome, cancel/remove.
#[component]
pub fn UploadLine(upload: Upload, remove: Callback<u32>) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let key = upload.key;
    let state = upload.state;
    let cancel = upload.clone();
    view! {
        <li class="upload" class:failed=move || matches!(state.get(), UploadState::Failed(_))>
            <span class="file-name">{upload.name.clone()}</span>
            <span class="muted">{human_size(upload.size as i64)}</span>
            {move || match state.get() {
                UploadState::Sending(part) => view! {
                    <progress max="1" value=part.to_string() aria-label=move || t_string!(i18n, files.uploading)></progress>
                }.into_any(),
                UploadState::Done(_) => view! { <span class="ok">"✓"</span> }.into_any(),
                UploadState::Failed(why) => view! { <span class="error-text">{why}</span> }.into_any(),
            }}
            <button type="button" class="link tiny" on:click=move |_| { cancel.cancel(session); remove.run(key); }>
                {move || if matches!(state.get(), UploadState::Sending(_)) {
                    t_string!(i18n, files.cancel)
                } else {
                    t_string!(i18n, files.remove)
                }}
            </button>
        </li>
    }
}

/// The files of a `DataTransfer` (a drop or a paste).
pub fn transfer_files(transfer: Option<web_sys::DataTransfer>) -> Vec<web_sys::File> {
    let Some(list) = transfer.and_then(|t| t.files()) else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// The files picked in an `<input type=file>`.
pub fn input_files(ev: &leptos::ev::Event) -> Vec<web_sys::File> {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return Vec::new();
    };
    let files = input
        .files()
        .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
        .unwrap_or_default();
    // Picking the same file again must fire `change` again.
    input.set_value("");
    files
}

/// Pick an image and upload it as an avatar with `PUT path`; `done` gets the answer's
/// JSON (the account or the room).
#[component]
pub fn AvatarPicker(#[prop(into)] path: String, done: Callback<String>) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let current = RwSignal::new(None::<Upload>);
    let path = StoredValue::new(path);
    let on_pick = move |ev: leptos::ev::Event| {
        if let Some(file) = input_files(&ev).into_iter().next() {
            let upload = start_upload(session, i18n, "PUT", path.get_value(), file);
            let state = upload.state;
            current.set(Some(upload));
            Effect::new(move |_| {
                if let UploadState::Done(json) = state.get() {
                    done.run(json);
                }
            });
        }
    };
    let error = RwSignal::new(None::<ApiError>);
    let remove = move |_| {
        spawn_local(async move {
            match session.request(Verb::Delete, &path.get_value(), None).await {
                Ok(res) => {
                    if let Ok(text) = res.text().await {
                        done.run(text);
                    }
                }
                Err(err) => error.set(Some(err)),
            }
        });
    };
    view! {
        <div class="avatar-picker">
            <label class="button">
                {move || t_string!(i18n, files.choose_avatar)}
                <input type="file" accept="image/jpeg,image/png,image/gif,image/webp" class="visually-hidden" on:change=on_pick/>
            </label>
            <button type="button" class="link" on:click=remove>{move || t_string!(i18n, files.remove_avatar)}</button>
            {move || current.get().map(|u| match u.state.get() {
                UploadState::Sending(part) => view! { <progress max="1" value=part.to_string()></progress> }.into_any(),
                UploadState::Failed(why) => view! { <span class="error-text">{why}</span> }.into_any(),
                UploadState::Done(_) => ().into_any(),
            })}
            {move || error.get().map(|e| view! { <span class="error-text">{error_text(i18n, &e)}</span> })}
        </div>
    }
}
