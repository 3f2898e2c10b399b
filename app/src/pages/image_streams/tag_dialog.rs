//! `oc tag` as a form: source, destination and flags, checked as you type
//! with `oc tag`'s own rules; answered with `oc`'s message.

use engine::model::{SourceHint, TagRequest};
use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    api::image_streams::TagImage,
    components::{Button, Checkbox, Dialog, ErrorAlert, SelectField, TextField, Toasts, Variant},
};

/// The tag dialog. Opening it copies `preset` into the form; a successful tag
/// closes it, shows `oc`'s message and calls `on_done`.
#[component]
pub fn TagDialog(
    open: RwSignal<bool>,
    #[prop(into)] namespace: Signal<String>,
    preset: RwSignal<TagRequest>,
    on_done: Callback<()>,
) -> impl IntoView {
    let source = RwSignal::new(String::new());
    let hint = RwSignal::new("auto".to_owned());
    let destination = RwSignal::new(String::new());
    let alias = RwSignal::new(false);
    let reference = RwSignal::new(false);
    let scheduled = RwSignal::new(false);
    let insecure = RwSignal::new(false);
    let policy = RwSignal::new("Source".to_owned());
    let mode = RwSignal::new("Legacy".to_owned());
    let attempted = RwSignal::new(false);
    let submitted = RwSignal::new(None::<TagRequest>);
    let action = ServerAction::<TagImage>::new();
    let toasts = Toasts::get();

    Effect::new(move |_| {
        if open.get() {
            let p = preset.get_untracked();
            source.set(p.source);
            destination.set(p.destination);
            hint.set(hint_name(p.source_hint).to_owned());
            alias.set(p.alias);
            reference.set(p.reference);
            scheduled.set(p.scheduled);
            insecure.set(p.insecure);
            policy.set(p.reference_policy);
            mode.set(p.import_mode);
            attempted.set(false);
            submitted.set(None);
        }
    });

    let request = move || TagRequest {
        source: source.get(),
        source_hint: hint_from(&hint.get()),
        destination: destination.get(),
        alias: alias.get(),
        reference: reference.get(),
        scheduled: scheduled.get(),
        insecure: insecure.get(),
        reference_policy: policy.get(),
        import_mode: mode.get(),
    };
    let local_error = Memo::new(move |_| request().check().err());
    let server_error = Memo::new(move |_| {
        let error = action.value().get()?.err()?;
        (submitted.get().as_ref() == Some(&request())).then_some(error)
    });
    let field_error = move |field: &'static str| {
        Signal::derive(move || {
            let typed = match field {
                "source" => !source.get().is_empty(),
                "destination" => !destination.get().is_empty(),
                _ => true,
            };
            let local = local_error
                .get()
                .filter(|e| e.field == field && (attempted.get() || typed));
            local
                .map(|e| e.message)
                .or_else(|| server_error.get().and_then(|e| e.for_field(field)))
        })
    };
    let form_error = move || {
        let flag_error = local_error
            .get()
            .filter(|e| attempted.get() && !matches!(e.field.as_str(), "source" | "destination"))
            .map(|e| crate::errors::ConsoleError::Engine(engine::Error::Invalid(vec![e])));
        flag_error.or_else(|| {
            server_error
                .get()
                .filter(|e| e.for_field("source").is_none() && e.for_field("destination").is_none())
        })
    };

    Effect::new(move |_| {
        if let Some(Ok(message)) = action.value().get() {
            toasts.success(message);
            open.set(false);
            on_done.run(());
        }
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        attempted.set(true);
        if local_error.get_untracked().is_some() {
            return;
        }
        let request = request();
        submitted.set(Some(request.clone()));
        action.dispatch(TagImage {
            namespace: namespace.get_untracked(),
            request,
        });
    };
    view! {
        <Dialog open id="tag-dialog" title="Tag an image">
            <form on:submit=on_submit novalidate>
                {move || form_error().map(|error| view! { <ErrorAlert error/> })}
                <TextField
                    id="tag-source"
                    label="Source"
                    value=source
                    required=true
                    hint="A tag (ruby:3.3), an image of a stream (ruby@sha256:…) or a pull spec (docker.io/library/ruby:3.3)."
                    error=field_error("source")
                />
                <SelectField
                    id="tag-source-kind"
                    label="The source is"
                    value=hint
                    options=vec![
                        ("auto", "Decided from what I typed"),
                        ("istag", "A tag of an image stream"),
                        ("isimage", "An image of an image stream"),
                        ("docker", "A pull spec in a registry"),
                    ]
                />
                <TextField
                    id="tag-destination"
                    label="Destination"
                    value=destination
                    required=true
                    hint="<stream>:<tag> in this project; the stream is created if it does not exist."
                    error=field_error("destination")
                />
                <fieldset class="form-group">
                    <legend>"Options"</legend>
                    <Checkbox id="tag-alias" label="Track the source tag (--alias)" checked=alias hint="The tag moves whenever the source tag moves. Same stream only."/>
                    <Checkbox id="tag-reference" label="Only point at the pull spec (--reference)" checked=reference hint="Never imported; consumers pull from the source."/>
                    <Checkbox id="tag-scheduled" label="Re-import periodically (--scheduled)" checked=scheduled/>
                    <Checkbox id="tag-insecure" label="Allow plain HTTP or unverified TLS (--insecure)" checked=insecure/>
                </fieldset>
                <div class="form-row">
                    <SelectField id="tag-policy" label="Reference policy" value=policy options=vec![("Source", "Source: pull from where it came from"), ("Local", "Local: pull through the integrated registry")]/>
                    <SelectField id="tag-mode" label="Import mode" value=mode options=vec![("Legacy", "Legacy: one platform"), ("PreserveOriginal", "PreserveOriginal: every platform")]/>
                </div>
                <div class="modal-footer">
                    <Button variant=Variant::Primary submit=true busy=action.pending()>"Tag"</Button>
                    <Button on_click=Callback::new(move |_| open.set(false))>"Cancel"</Button>
                </div>
            </form>
        </Dialog>
    }
}

fn hint_name(hint: SourceHint) -> &'static str {
    match hint {
        SourceHint::Auto => "auto",
        SourceHint::ImageStreamTag => "istag",
        SourceHint::ImageStreamImage => "isimage",
        SourceHint::DockerImage => "docker",
    }
}

fn hint_from(name: &str) -> SourceHint {
    match name {
        "istag" => SourceHint::ImageStreamTag,
        "isimage" => SourceHint::ImageStreamImage,
        "docker" => SourceHint::DockerImage,
        _ => SourceHint::Auto,
    }
}
