//! "Add trigger": `oc set triggers <owner> --from-image=<tag> [-c <containers>]`
//! as a form.

use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    api::triggers::AddTrigger,
    components::{Button, ErrorAlert, SelectField, TextField, Toasts, Variant},
};

/// The form; `owners` are `Kind/name` of the project's owners.
#[component]
pub fn AddTriggerForm(
    #[prop(into)] namespace: Signal<String>,
    owners: Vec<String>,
    on_added: Callback<()>,
) -> impl IntoView {
    let owner = RwSignal::new(owners.first().cloned().unwrap_or_default());
    let tag = RwSignal::new(String::new());
    let containers = RwSignal::new(String::new());
    let action = ServerAction::<AddTrigger>::new();
    let toasts = Toasts::get();
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
    Effect::new(move |_| {
        if let Some(Ok(message)) = action.value().get() {
            toasts.success(message);
            tag.set(String::new());
            on_added.run(());
        }
    });
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
