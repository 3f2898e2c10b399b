//! "Add trigger": `oc set triggers <owner> --from-image=<tag> [-c <containers>]`
//! as a form.

use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    api::triggers::AddTrigger,
    components::{Button, ErrorAlert, SelectField, TextField, Toasts, Variant},
};

/// What the form holds. The page keeps it, so that the form, drawn again
/// whenever the page's data changes (a live update), keeps what was typed
/// and the last answer.
#[derive(Clone, Copy)]
pub struct AddTriggerState {
    owner: RwSignal<String>,
    tag: RwSignal<String>,
    containers: RwSignal<String>,
    action: ServerAction<AddTrigger>,
}

impl AddTriggerState {
    /// Empty; `on_added` runs after each trigger added.
    pub fn new(on_added: Callback<()>) -> Self {
        let state = AddTriggerState {
            owner: RwSignal::new(String::new()),
            tag: RwSignal::new(String::new()),
            containers: RwSignal::new(String::new()),
            action: ServerAction::<AddTrigger>::new(),
        };
        let toasts = Toasts::get();
        Effect::new(move |_| {
            if let Some(Ok(message)) = state.action.value().get() {
                toasts.success(message);
                state.tag.set(String::new());
                on_added.run(());
            }
        });
        state
    }
}

/// The form; `owners` are `Kind/name` of the project's owners.
#[component]
pub fn AddTriggerForm(
    #[prop(into)] namespace: Signal<String>,
    owners: Vec<String>,
    state: AddTriggerState,
) -> impl IntoView {
    let AddTriggerState {
        owner,
        tag,
        containers,
        action,
    } = state;
    if !owners.contains(&owner.get_untracked()) {
        owner.set(owners.first().cloned().unwrap_or_default());
    }
    let failure = move || action.value().get().and_then(Result::err);
    let field =
        move |name: &'static str| Signal::derive(move || failure().and_then(|e| e.for_field(name)));
    let other = move || {
        failure().filter(|e| {
            e.field_errors()
                .iter()
                .all(|f| !["tag", "containers", "owner"].contains(&f.field.as_str()))
        })
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        action.dispatch(AddTrigger {
            namespace: namespace.get_untracked(),
            owner: owner.get_untracked(),
            tag: tag.get_untracked(),
            containers: containers.get_untracked(),
        });
    };
    let options: Vec<(String, String)> = owners.into_iter().map(|o| (o.clone(), o)).collect();
    view! {
        <form class="add-trigger" on:submit=on_submit novalidate aria-label="Add trigger">
            {move || other().map(|error| view! { <ErrorAlert error/> })}
            <div class="form-row">
                <SelectField id="add-trigger-owner" label="Owner" value=owner options/>
                <TextField id="add-trigger-tag" label="Image stream tag" value=tag error=field("tag") required=true placeholder="ruby:latest"/>
                <TextField id="add-trigger-containers" label="Containers" value=containers error=field("containers")
                    hint="For DeploymentConfigs and workloads: the containers that get the image, separated by commas."/>
            </div>
            <Button variant=Variant::Primary submit=true busy=action.pending()>"Add trigger"</Button>
        </form>
    }
}
