//! How a form takes its server action's answer: a success is toasted, the
//! form's error cleared and `done` run (empty the fields, reload a list,
//! close a dialog); a failure is kept for the form to show, whole and under
//! each field.

use leptos::prelude::*;

use super::Toasts;
use crate::errors::ConsoleError;

/// Takes `answer` (the action's latest value) as described above.
pub fn take_answer(
    answer: Option<Result<String, ConsoleError>>,
    toasts: Toasts,
    error: RwSignal<Option<ConsoleError>>,
    done: impl FnOnce(),
) {
    match answer {
        Some(Ok(message)) => {
            toasts.success(message);
            error.set(None);
            done();
        }
        Some(Err(failure)) => error.set(Some(failure)),
        None => {}
    }
}

/// The part of the form's `error` about `field`, for that field to show.
pub fn field_error_of(
    error: impl Into<Signal<Option<ConsoleError>>>,
    field: &'static str,
) -> Signal<Option<String>> {
    let error = error.into();
    Signal::derive(move || error.get().and_then(|e| e.for_field(field)))
}
