//! Shared components every page reuses, in the conventions of PatternFly (the
//! OpenShift console's design system): buttons, form fields, data tables,
//! dialogs, toasts, copy-to-clipboard, relative times, short pull specs, empty
//! and error states.

mod button;
mod clipboard;
mod data_table;
mod dialog;
mod empty_state;
mod error_panel;
mod form_answer;
mod form_field;
mod human_size;
mod pull_spec;
mod relative_time;
mod toast;

pub use button::{Button, Variant};
pub use clipboard::{ClipboardCopy, CopyButton};
pub use data_table::{Column, DataTable, SortKey, TableSkeleton};
pub use dialog::Dialog;
pub use empty_state::EmptyState;
pub use error_panel::{ErrorAlert, ErrorPanel};
pub use form_answer::{field_error_of, take_answer};
pub use form_field::{Checkbox, SelectField, TextField};
pub use human_size::human_size;
pub use pull_spec::{ShortPullSpec, shortened_pull_spec};
pub use relative_time::{RelativeTime, human_duration, provide_now};
pub use toast::{Toaster, Toasts};
