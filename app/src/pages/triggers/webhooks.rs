//! The project's webhooks: add one (URL, signing secret, events), delete
//! one, and the delivery log with status codes and "Send again".

use crate::api::page_data;
use engine::model::webhooks::{DeliveryView, NewWebhook, WebhookEvent, WebhookView};
use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    api::triggers::{CreateWebhook, DeleteWebhook, RedeliverWebhook, load_webhooks},
    components::{
        Button, Checkbox, Column, DataTable, ErrorAlert, ErrorPanel, RelativeTime, SortKey,
        TextField, Toasts, Variant,
    },
    errors::ConsoleError,
};

/// The webhooks section of the Triggers page.
#[component]
pub fn WebhooksSection(#[prop(into)] namespace: Signal<String>) -> impl IntoView {
    let version = RwSignal::new(0_u32);
    let page = page_data::load(
        move || (namespace.get(), version.get()),
        |(namespace, _)| load_webhooks(namespace),
    );
    let refresh = move || version.update(|v| *v += 1);
    let toasts = Toasts::get();
    let delete = ServerAction::<DeleteWebhook>::new();
    let redeliver = ServerAction::<RedeliverWebhook>::new();
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => {
            toasts.success("Webhook deleted.".to_owned());
            refresh();
        }
        Some(Err(error)) => toasts.failure(error.to_string()),
        None => {}
    });
    Effect::new(move |_| match redeliver.value().get() {
        Some(Ok(id)) => {
            toasts.success(format!("Queued again as delivery {id}."));
            refresh();
        }
        Some(Err(error)) => toasts.failure(error.to_string()),
        None => {}
    });
    let tables = move || {
        Suspend::new(async move {
            let loaded = page.await?;
            let hooks = Signal::derive({
                let rows = loaded.webhooks.clone();
                move || rows.clone()
            });
            let deliveries = Signal::derive({
                let rows = loaded.deliveries.clone();
                move || rows.clone()
            });
            Ok::<_, ConsoleError>(view! {
                <DataTable
                    caption="Webhooks"
                    columns=webhook_columns(namespace, delete)
                    rows=hooks
                    row_key=|row: &WebhookView| row.name.clone()
                    sort_column=0
                    empty=ViewFn::from(|| view! { <p class="muted">"No webhooks yet."</p> })
                />
                <div class="toolbar">
                    <Button on_click=Callback::new(move |_| refresh())>"Refresh deliveries"</Button>
                </div>
                <DataTable
                    caption="Webhook deliveries"
                    columns=delivery_columns(namespace, redeliver)
                    rows=deliveries
                    row_key=|row: &DeliveryView| row.id.to_string()
                    sort_column=0
                    empty=ViewFn::from(|| view! { <p class="muted">"Nothing delivered yet."</p> })
                />
            })
        })
    };
    view! {
        <AddWebhookForm namespace on_added=Callback::new(move |_| refresh())/>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors/> }>{tables}</ErrorBoundary>
        </Transition>
    }
}

#[component]
fn AddWebhookForm(namespace: Signal<String>, on_added: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let chosen: Vec<(WebhookEvent, RwSignal<bool>)> = WebhookEvent::ALL
        .into_iter()
        .map(|event| (event, RwSignal::new(event != WebhookEvent::TagDeleted)))
        .collect();
    let action = ServerAction::<CreateWebhook>::new();
    let toasts = Toasts::get();
    let failure = move || action.value().get().and_then(Result::err);
    let field =
        move |name: &'static str| Signal::derive(move || failure().and_then(|e| e.for_field(name)));
    let other = move || failure().filter(|e| e.field_errors().is_empty());
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            toasts.success(format!("Webhook {} added.", name.get_untracked()));
            name.set(String::new());
            url.set(String::new());
            secret.set(String::new());
            on_added.run(());
        }
    });
    let boxes = chosen.clone();
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        action.dispatch(CreateWebhook {
            namespace: namespace.get_untracked(),
            webhook: NewWebhook {
                name: name.get_untracked(),
                url: url.get_untracked(),
                secret: secret.get_untracked(),
                events: chosen
                    .iter()
                    .filter(|(_, on)| on.get_untracked())
                    .map(|(event, _)| *event)
                    .collect(),
            },
        });
    };
    view! {
        <form class="webhook-form" on:submit=on_submit novalidate aria-label="Add webhook">
            {move || other().map(|error| view! { <ErrorAlert error/> })}
            <div class="form-row">
                <TextField id="webhook-name" label="Name" value=name error=field("name") required=true placeholder="ci"/>
                <TextField id="webhook-url" label="URL" value=url error=field("url") required=true placeholder="https://ci.example.com/hooks/images"/>
                <TextField id="webhook-secret" label="Signing secret" value=secret error=field("secret") required=true
                    hint="At least 16 characters. Each delivery carries X-Console-Signature: sha256=HMAC-SHA256(secret, \"<X-Console-Timestamp>.<body>\"). It is never shown again."/>
            </div>
            <fieldset class="form-fieldset">
                <legend>"Events"</legend>
                {boxes.into_iter().map(|(event, on)| view! {
                    <Checkbox id=format!("webhook-event-{}", event.as_str()) label=event.as_str() checked=on/>
                }).collect_view()}
                {move || field("events").get().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            </fieldset>
            <Button variant=Variant::Primary submit=true busy=action.pending()>"Add webhook"</Button>
        </form>
    }
}

fn webhook_columns(
    namespace: Signal<String>,
    delete: ServerAction<DeleteWebhook>,
) -> Vec<Column<WebhookView>> {
    vec![
        Column::new("Name", |row: &WebhookView| {
            view! { <strong>{row.name.clone()}</strong> }.into_any()
        })
        .sort_by(|row| SortKey::Text(row.name.clone())),
        Column::new("URL", |row: &WebhookView| {
            view! { <span class="mono">{row.url.clone()}</span> }.into_any()
        }),
        Column::new("Events", |row: &WebhookView| {
            let events: Vec<&str> = row.events.iter().map(|e| e.as_str()).collect();
            view! { <span>{events.join(", ")}</span> }.into_any()
        }),
        Column::new("Added", |row: &WebhookView| {
            let at = row.created;
            view! { <RelativeTime at/> }.into_any()
        }),
        Column::new("", move |row: &WebhookView| {
            let name = row.name.clone();
            view! {
                <Button label=format!("Delete webhook {name}") on_click=Callback::new(move |_| {
                    delete.dispatch(DeleteWebhook { namespace: namespace.get_untracked(), name: name.clone() });
                })>"Delete"</Button>
            }
            .into_any()
        }),
    ]
}

fn delivery_columns(
    namespace: Signal<String>,
    redeliver: ServerAction<RedeliverWebhook>,
) -> Vec<Column<DeliveryView>> {
    vec![
        Column::new("Delivery", |row: &DeliveryView| {
            view! { <span class="mono">{row.id}</span> }.into_any()
        })
        .sort_by(|row| SortKey::Number(-row.id)),
        Column::new("Webhook", |row: &DeliveryView| {
            view! { <span>{row.webhook.clone()}</span> }.into_any()
        }),
        Column::new("Event", |row: &DeliveryView| {
            view! { <span>{row.event.clone()}</span> }.into_any()
        }),
        Column::new("Result", |row: &DeliveryView| {
            let code = row
                .status_code
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            let text = format!(
                "{}{code}, {} attempt{}",
                row.state,
                row.attempts,
                if row.attempts == 1 { "" } else { "s" }
            );
            view! {
                <div>
                    <span>{text}</span>
                    {row.last_error.clone().map(|e| view! { <div class="muted">{e}</div> })}
                </div>
            }
            .into_any()
        }),
        Column::new("Queued", |row: &DeliveryView| {
            let at = row.created;
            view! { <RelativeTime at/> }.into_any()
        }),
        Column::new("", move |row: &DeliveryView| {
            let id = row.id;
            view! {
                <Button label=format!("Send delivery {id} again") on_click=Callback::new(move |_| {
                    redeliver.dispatch(RedeliverWebhook { namespace: namespace.get_untracked(), id });
                })>"Send again"</Button>
            }
            .into_any()
        }),
    ]
}
