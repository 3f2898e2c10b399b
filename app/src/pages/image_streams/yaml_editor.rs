//! A YAML editor (a text area with line numbers, problems listed and marked at
//! their lines) and the "create from YAML" dialog that applies it.

use engine::model::FieldError;
use leptos::{ev::SubmitEvent, html, prelude::*};

use crate::{
    api::manifests::{ApplyYaml, YamlObjects},
    components::{Button, Dialog, ErrorAlert, Toasts, Variant},
    errors::ConsoleError,
};

const STREAM_TEMPLATE: &str = "apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: my-stream
spec:
  tags:
  - name: latest
    from:
      kind: DockerImage
      name: quay.io/example/app:latest
";

const OWNER_TEMPLATE: &str = "apiVersion: build.openshift.io/v1
kind: BuildConfig
metadata:
  name: my-app
spec:
  source:
    git:
      uri: https://github.com/example/app.git
  strategy:
    sourceStrategy:
      from:
        kind: ImageStreamTag
        name: my-stream:latest
  triggers:
  - type: ImageChange
    imageChange: {}
";

/// What the dialog starts with and says about the objects it takes.
fn template_and_hint(objects: YamlObjects) -> (&'static str, &'static str) {
    match objects {
        YamlObjects::ImageStreams => (
            STREAM_TEMPLATE,
            "One ImageStream, several separated by ---, or a List. Existing streams are updated as kubectl apply does.",
        ),
        YamlObjects::TriggerOwners => (
            OWNER_TEMPLATE,
            "BuildConfigs, DeploymentConfigs, or Deployments, StatefulSets, DaemonSets, CronJobs, Jobs and Pods with the image.openshift.io/triggers annotation; several separated by ---. Existing ones are replaced, keeping what their triggers last fired for.",
        ),
    }
}

/// A text area for YAML with a line-number gutter; lines with problems are
/// marked, and each listed problem moves the cursor to its line.
#[component]
pub fn YamlEditor(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    text: RwSignal<String>,
    #[prop(into)] problems: Signal<Vec<FieldError>>,
) -> impl IntoView {
    let area = NodeRef::<html::Textarea>::new();
    let errors_id = format!("{id}-problems");
    let line_count = move || text.with(|t| t.lines().count().max(1));
    let gutter = move || {
        let marked: Vec<u32> = problems.get().iter().filter_map(|p| p.line).collect();
        (1..=line_count())
            .map(|n| {
                let bad = u32::try_from(n).is_ok_and(|n| marked.contains(&n));
                view! { <span class:yaml-line-bad=bad>{n}</span> }
            })
            .collect_view()
    };
    let go_to = move |line: u32| {
        #[cfg(feature = "hydrate")]
        if let Some(area) = area.get() {
            let text = text.get_untracked();
            let start: usize = text
                .lines()
                .take(line.saturating_sub(1) as usize)
                .map(|l| l.len() + 1)
                .sum();
            let end = start
                + text
                    .lines()
                    .nth(line.saturating_sub(1) as usize)
                    .map_or(0, str::len);
            area.focus().ok();
            area.set_selection_range(start as u32, end as u32).ok();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (line, area);
    };
    view! {
        <div class="form-field">
            <label class="form-label" for=id.clone()>{label}</label>
            <div class="yaml-editor">
                <div class="yaml-gutter" aria-hidden="true">{gutter}</div>
                <textarea
                    id=id
                    node_ref=area
                    class="yaml-text mono"
                    spellcheck="false"
                    autocomplete="off"
                    wrap="off"
                    rows=move || line_count() + 1
                    aria-describedby=errors_id.clone()
                    aria-invalid=move || (!problems.get().is_empty()).then_some("true")
                    bind:value=text
                ></textarea>
            </div>
            <ul class="yaml-problems" id=errors_id role="alert">
                {move || {
                    problems
                        .get()
                        .into_iter()
                        .map(|problem| {
                            let line = problem.line;
                            view! {
                                <li>
                                    {line.map(|line| view! {
                                        <button type="button" class="btn btn-link yaml-jump" on:click=move |_| go_to(line)>
                                            {format!("Line {line}")}
                                        </button>
                                    })}
                                    <code>{problem.field}</code>": "{problem.message}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

/// "Create from YAML": paste or write objects and apply them.
#[component]
pub fn ApplyYamlDialog(
    open: RwSignal<bool>,
    #[prop(into)] namespace: Signal<String>,
    on_applied: Callback<()>,
    #[prop(default = YamlObjects::ImageStreams)] objects: YamlObjects,
) -> impl IntoView {
    let (template, hint) = template_and_hint(objects);
    let text = RwSignal::new(template.to_owned());
    let action = ServerAction::<ApplyYaml>::new();
    let toasts = Toasts::get();
    let outcome = move || action.value().get().and_then(Result::err);
    let problems = Signal::derive(move || {
        outcome()
            .map(|e| e.field_errors().to_vec())
            .unwrap_or_default()
    });
    let other_error = move || outcome().filter(|e: &ConsoleError| e.field_errors().is_empty());
    Effect::new(move |_| {
        if let Some(Ok(lines)) = action.value().get() {
            toasts.success(lines.join("\n"));
            open.set(false);
            text.set(template.to_owned());
            on_applied.run(());
        }
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        action.dispatch(ApplyYaml {
            namespace: namespace.get_untracked(),
            objects,
            text: text.get_untracked(),
        });
    };
    view! {
        <Dialog open id="apply-yaml" title="Create from YAML">
            <form on:submit=on_submit novalidate>
                {move || other_error().map(|error| view! { <ErrorAlert error/> })}
                <p class="form-hint">{hint}</p>
                <YamlEditor id="apply-yaml-text" label="YAML or JSON" text problems/>
                <div class="modal-footer">
                    <Button variant=Variant::Primary submit=true busy=action.pending()>"Apply"</Button>
                    <Button on_click=Callback::new(move |_| open.set(false))>"Cancel"</Button>
                </div>
            </form>
        </Dialog>
    }
}
