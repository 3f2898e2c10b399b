//! The samples section of the settings page: whether the shipped sample
//! image streams are kept in the `openshift` project, which are skipped, the
//! mirror they are read from, and how each one stands (kept up to date as
//! the samples' streams change).

use engine::model::{
    SHARED_PROJECT,
    live::LiveFilter,
    samples::{ManagementState, SampleState, SampleStatus, SamplesConfig, SamplesView},
};
use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    api::settings::{SaveSamples, load_samples},
    components::{Button, ErrorAlert, RelativeTime, SelectField, TextField, Toasts, Variant},
    errors::ConsoleError,
    live::use_live,
};

#[component]
pub fn SamplesForm(samples: SamplesView) -> impl IntoView {
    let state = RwSignal::new(samples.config.management_state.as_str().to_owned());
    let registry = RwSignal::new(samples.config.samples_registry.clone());
    let skipped = RwSignal::new(samples.config.skipped_imagestreams.clone());
    let version = RwSignal::new(samples.resource_version);
    let rows = RwSignal::new(samples.samples.clone());
    let saved_by = RwSignal::new((samples.updated_by.clone(), samples.updated));
    let save = ServerAction::<SaveSamples>::new();
    let error = RwSignal::new(None::<ConsoleError>);
    let toasts = Toasts::get();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            let message = match saved.config.management_state {
                ManagementState::Managed => {
                    "Samples saved; missing ones are installed and their images imported in the background."
                }
                ManagementState::Removed => "Samples saved; the managed samples were removed.",
            };
            toasts.success(message.to_owned());
            error.set(None);
            state.set(saved.config.management_state.as_str().to_owned());
            registry.set(saved.config.samples_registry);
            skipped.set(saved.config.skipped_imagestreams);
            version.set(saved.resource_version);
            rows.set(saved.samples);
            saved_by.set((saved.updated_by, saved.updated));
        }
        Some(Err(failure)) => error.set(Some(failure)),
        None => {}
    });
    // Imports land after a save: each change to the `openshift` project's
    // streams reads the states again (the form's fields stay as typed).
    let streams_changed = use_live(|| {
        LiveFilter::projects([SHARED_PROJECT.to_owned()]).resource(engine::resources::IMAGE_STREAMS)
    });
    Effect::new(move |_| {
        if streams_changed.get() == 0 {
            return;
        }
        leptos::task::spawn_local(async move {
            if let Ok(fresh) = load_samples().await {
                rows.set(fresh.samples);
            }
        });
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        save.dispatch(SaveSamples {
            config: SamplesConfig {
                management_state: ManagementState::parse(&state.get_untracked())
                    .unwrap_or_default(),
                skipped_imagestreams: skipped.get_untracked(),
                samples_registry: registry.get_untracked(),
            },
            resource_version: version.get_untracked(),
        });
    };
    let last_saved = move || {
        let (by, at) = saved_by.get();
        at.map(|at| view! { <p class="muted">"Last saved by " {by} " " <RelativeTime at/> "."</p> })
    };
    let retry_minutes = samples.retry_seconds.div_ceil(60);
    view! {
        <form class="settings-form" on:submit=on_submit novalidate aria-labelledby="samples-title">
            <h2 class="section-title" id="samples-title">"Samples"</h2>
            <p class="muted">
                "The builder and database image streams the console ships, kept in the shared openshift project. "
                {format!("Failed imports are tried again about every {retry_minutes} minutes.")}
            </p>
            {move || error.get().filter(|e| e.field_errors().is_empty()).map(|error| view! { <ErrorAlert error/> })}
            <SelectField id="samples-management-state" label="Management state" value=state
                options=vec![("Managed", "Managed: install and keep the samples"), ("Removed", "Removed: remove the managed samples")]/>
            <TextField id="samples-registry" label="Samples registry" value=registry
                error=super::errors_under(error, &["samplesRegistry"])
                placeholder="mirror.example.com:5000"
                hint="samplesRegistry: a mirror (host[:port]) the samples are read from instead of their public registries. Empty: the public ones."/>
            {move || super::errors_under(error, &["skippedImagestreams"]).get().map(|text| view! { <p class="form-error" role="alert">{text}</p> })}
            <div class="table-wrapper">
                <table class="data-table">
                    <caption class="visually-hidden">"Samples and their state"</caption>
                    <thead><tr>
                        <th scope="col">"Skip"</th>
                        <th scope="col">"Sample"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Read from"</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || rows.get() key=|row| (row.name.clone(), format!("{:?}{:?}{}", row.state, row.last_error, row.source)) let:row>
                            <SampleRow row skipped/>
                        </For>
                    </tbody>
                </table>
            </div>
            <Button variant=Variant::Primary submit=true busy=save.pending()>"Save samples"</Button>
            {last_saved}
        </form>
    }
}

#[component]
fn SampleRow(row: SampleStatus, skipped: RwSignal<Vec<String>>) -> impl IntoView {
    let name = row.name.clone();
    let checkbox_id = format!("skip-sample-{name}");
    let is_skipped = {
        let name = name.clone();
        move || skipped.with(|list| list.contains(&name))
    };
    let toggle = {
        let name = name.clone();
        move |event: leptos::ev::Event| {
            let on = event_target_checked(&event);
            skipped.update(|list| {
                list.retain(|entry| *entry != name);
                if on {
                    list.push(name.clone());
                }
            });
        }
    };
    let state = match row.state {
        SampleState::NotInstalled => "Not installed".to_owned(),
        SampleState::Skipped => "Skipped".to_owned(),
        SampleState::Installed { imported, tags } if imported == tags => {
            format!("Installed, {tags} of {tags} tags imported")
        }
        SampleState::Installed { imported, tags } => {
            format!("Installed, {imported} of {tags} tags imported")
        }
    };
    let href = format!("/ns/openshift/imagestreams/{name}");
    view! {
        <tr>
            <td data-label="Skip">
                <input type="checkbox" id=checkbox_id prop:checked=is_skipped on:change=toggle
                    aria-label=format!("Skip {name} (skippedImagestreams)")/>
            </td>
            <th scope="row"><a href=href>{row.display_name.clone()}</a>" "<span class="muted">{name.clone()}</span></th>
            <td data-label="State">
                {state}
                {row.last_error.map(|error| view! { <span class="catalog-import-error">{error}</span> })}
            </td>
            <td class="mono" data-label="Read from">{row.source}</td>
        </tr>
    }
}
