//! Toasts: short confirmations ("Project team-a created") and failures that
//! appear in a corner, are announced to screen readers and go away by
//! themselves.

use leptos::prelude::*;

/// How a toast is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Success,
    Danger,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Toast {
    id: u64,
    kind: ToastKind,
    text: String,
}

/// The page's toasts; get it with `Toasts::get()` and call `success`/`failure`.
#[derive(Clone, Copy)]
pub struct Toasts {
    list: RwSignal<Vec<Toast>>,
    next_id: RwSignal<u64>,
}

/// How long a toast stays up.
#[cfg(feature = "hydrate")]
const TOAST_LIFETIME: std::time::Duration = std::time::Duration::from_secs(6);

impl Toasts {
    /// Creates the toast list for the app; call once at the root.
    pub fn provide() {
        provide_context(Toasts {
            list: RwSignal::new(Vec::new()),
            next_id: RwSignal::new(0),
        });
    }

    /// The app's toasts.
    pub fn get() -> Toasts {
        expect_context::<Toasts>()
    }

    /// Shows a success message.
    pub fn success(self, text: impl Into<String>) {
        self.push(ToastKind::Success, text.into());
    }

    /// Shows a failure message.
    pub fn failure(self, text: impl Into<String>) {
        self.push(ToastKind::Danger, text.into());
    }

    /// Shows why an action failed: the error's headline and its message.
    pub fn error(self, error: &crate::errors::ConsoleError) {
        self.failure(format!("{}: {error}", error.title()));
    }

    fn push(self, kind: ToastKind, text: String) {
        let id = self.next_id.get_untracked();
        self.next_id.set(id + 1);
        self.list.update(|list| list.push(Toast { id, kind, text }));
        #[cfg(feature = "hydrate")]
        set_timeout(move || self.dismiss(id), TOAST_LIFETIME);
    }

    fn dismiss(self, id: u64) {
        self.list.update(|list| list.retain(|toast| toast.id != id));
    }
}

/// Where toasts appear; placed once in the layout.
#[component]
pub fn Toaster() -> impl IntoView {
    let toasts = Toasts::get();
    view! {
        <div class="toast-region" role="status" aria-live="polite">
            <For each=move || toasts.list.get() key=|toast| toast.id let:toast>
                <div class=match toast.kind {
                    ToastKind::Success => "toast toast-success",
                    ToastKind::Danger => "toast toast-danger",
                }>
                    <span class="toast-text">{toast.text.clone()}</span>
                    <button
                        type="button"
                        class="btn-close"
                        aria-label="Dismiss"
                        on:click=move |_| toasts.dismiss(toast.id)
                    >
                        "×"
                    </button>
                </div>
            </For>
        </div>
    }
}
