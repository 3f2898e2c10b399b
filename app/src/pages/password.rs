//! The profile page's password form: the signed-in person changes their own
//! password, giving the current one.

use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    api::access::ChangePassword,
    components::{Button, ErrorAlert, TextField, Toasts, Variant, field_error_of, take_answer},
    errors::ConsoleError,
};

#[component]
pub fn ChangePasswordSection() -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let change = ServerAction::<ChangePassword>::new();
    let error = RwSignal::new(None::<ConsoleError>);
    let toasts = Toasts::get();
    Effect::new(move |_| {
        take_answer(change.value().get(), toasts, error, || {
            current.set(String::new());
            new.set(String::new());
        })
    });
    let field_error = move |field: &'static str| field_error_of(error, field);
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        change.dispatch(ChangePassword {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        });
    };
    view! {
        <section class="page-section" aria-labelledby="password-title">
            <form class="inline-form" on:submit=on_submit novalidate aria-labelledby="password-title">
                <h2 class="section-title" id="password-title">"Password"</h2>
                {move || error.get().filter(|e| e.field_errors().is_empty()).map(|error| view! { <ErrorAlert error/> })}
                <TextField id="current-password" label="Current password" value=current secret=true required=true
                    error=field_error("currentPassword")/>
                <TextField id="new-password" label="New password" value=new secret=true required=true
                    hint="At least 12 characters." error=field_error("newPassword")/>
                <Button variant=Variant::Primary submit=true busy=change.pending()>"Change password"</Button>
            </form>
        </section>
    }
}
