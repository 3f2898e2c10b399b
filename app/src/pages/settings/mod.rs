//! `/settings`: the cluster image policy - which registries imports may use,
//! which are reached insecurely, where short names are looked up, and extra
//! CAs - for cluster admins, applied to the next import without a restart;
//! the shipped samples; and the settings the server was started with.

use crate::api::page_data;
mod lines;
mod samples;

use engine::model::{
    FieldError,
    cluster_policy::{
        ClusterImagePolicy, ClusterSettingsView, RegistrySources, ScheduleSettingsView,
        ScheduledImportSettings,
    },
    samples::SamplesView,
};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_meta::Title;

use crate::{
    api::settings::{SaveClusterSettings, load_cluster_settings, load_samples},
    components::{
        Button, ErrorAlert, ErrorPanel, RelativeTime, SelectField, TextField, Toasts, Variant,
    },
    errors::ConsoleError,
};
use lines::{cas_text, list_text, parse_cas, parse_list, parse_whitelist, whitelist_text};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let settings = page_data::load(|| (), |_| load_cluster_settings());
    let samples = page_data::load(|| (), |_| load_samples());
    let body = move || {
        Suspend::new(async move {
            let settings = settings.await?;
            let samples = samples.await?;
            Ok::<_, ConsoleError>(view! { <SettingsBody settings samples/> })
        })
    };
    view! {
        <Title text="Settings"/>
        <section class="page-section">
            <header class="page-header">
                <h1 class="page-title">"Settings"</h1>
                <p class="page-lead">
                    "The cluster image policy decides which registries imports and scheduled re-imports may read from. "
                    "A saved change applies to the next import on every replica, without a restart. Cluster administrators only."
                </p>
            </header>
            <Transition fallback=|| view! { <p class="loading">"Loading the settings…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors/> }>{body}</ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn SettingsBody(settings: ClusterSettingsView, samples: SamplesView) -> impl IntoView {
    view! {
        <PolicyForm settings=settings.clone()/>
        <samples::SamplesForm samples/>
        <StartupSettings hostname=settings.internal_registry_hostname schedule=settings.schedule
            effective=settings.effective_schedule/>
    }
}

/// The text of each field, as the form holds it.
#[derive(Clone, Copy)]
struct PolicyText {
    for_import: RwSignal<String>,
    allowed: RwSignal<String>,
    blocked: RwSignal<String>,
    insecure: RwSignal<String>,
    search: RwSignal<String>,
    cas: RwSignal<String>,
    interval: RwSignal<String>,
    minimum: RwSignal<String>,
    rate: RwSignal<String>,
    /// `""` (as started), `"on"` or `"off"`.
    periodic: RwSignal<String>,
    hostname: RwSignal<String>,
}

impl PolicyText {
    fn new(policy: &ClusterImagePolicy) -> Self {
        let text = PolicyText {
            for_import: RwSignal::new(String::new()),
            allowed: RwSignal::new(String::new()),
            blocked: RwSignal::new(String::new()),
            insecure: RwSignal::new(String::new()),
            search: RwSignal::new(String::new()),
            cas: RwSignal::new(String::new()),
            interval: RwSignal::new(String::new()),
            minimum: RwSignal::new(String::new()),
            rate: RwSignal::new(String::new()),
            periodic: RwSignal::new(String::new()),
            hostname: RwSignal::new(String::new()),
        };
        text.show(policy);
        text
    }

    fn show(&self, policy: &ClusterImagePolicy) {
        let sources = &policy.registry_sources;
        self.for_import
            .set(whitelist_text(&policy.allowed_registries_for_import));
        self.allowed.set(list_text(&sources.allowed_registries));
        self.blocked.set(list_text(&sources.blocked_registries));
        self.insecure.set(list_text(&sources.insecure_registries));
        self.search
            .set(list_text(&sources.container_runtime_search_registries));
        self.cas.set(cas_text(&policy.additional_trusted_ca));
        self.hostname.set(policy.internal_registry_hostname.clone());
        let schedule = &policy.scheduled_import;
        let number = |value: Option<i64>| value.map(|v| v.to_string()).unwrap_or_default();
        self.interval
            .set(number(schedule.interval_seconds.map(|v| v as i64)));
        self.minimum
            .set(number(schedule.minimum_interval_seconds.map(|v| v as i64)));
        self.rate.set(number(schedule.max_imports_per_minute));
        self.periodic.set(
            match schedule.disabled {
                None => "",
                Some(true) => "off",
                Some(false) => "on",
            }
            .to_owned(),
        );
    }

    /// The policy typed, or the fields that are not numbers.
    fn policy(&self) -> Result<ClusterImagePolicy, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut number = |field: &str, text: RwSignal<String>, least: i64| {
            let text = text.get_untracked();
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match text.parse::<i64>() {
                Ok(value) if value >= least => Some(value),
                _ => {
                    errors.push(FieldError::new(
                        field,
                        format!(
                            "Invalid value: \"{text}\": must be a whole number of at least {least}"
                        ),
                    ));
                    None
                }
            }
        };
        let scheduled_import = ScheduledImportSettings {
            interval_seconds: number("scheduledImport.intervalSeconds", self.interval, 1)
                .map(|v| v as u64),
            minimum_interval_seconds: number(
                "scheduledImport.minimumIntervalSeconds",
                self.minimum,
                1,
            )
            .map(|v| v as u64),
            max_imports_per_minute: number(
                "scheduledImport.maxImportsPerMinute",
                self.rate,
                i64::MIN,
            ),
            disabled: match self.periodic.get_untracked().as_str() {
                "on" => Some(false),
                "off" => Some(true),
                _ => None,
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ClusterImagePolicy {
            scheduled_import,
            allowed_registries_for_import: parse_whitelist(&self.for_import.get_untracked()),
            registry_sources: RegistrySources {
                allowed_registries: parse_list(&self.allowed.get_untracked()),
                blocked_registries: parse_list(&self.blocked.get_untracked()),
                insecure_registries: parse_list(&self.insecure.get_untracked()),
                container_runtime_search_registries: parse_list(&self.search.get_untracked()),
            },
            additional_trusted_ca: parse_cas(&self.cas.get_untracked()),
            internal_registry_hostname: self.hostname.get_untracked().trim().to_owned(),
        })
    }
}

/// Every problem of `error` under one of `prefixes` (the field itself, its
/// items or its sub-fields), as "field: message" lines.
fn errors_under(
    error: RwSignal<Option<ConsoleError>>,
    prefixes: &'static [&'static str],
) -> Signal<Option<String>> {
    Signal::derive(move || {
        let error = error.get()?;
        let lines: Vec<String> = error
            .field_errors()
            .iter()
            .filter(|f| {
                prefixes.iter().any(|p| {
                    f.field == *p
                        || f.field.starts_with(&format!("{p}["))
                        || f.field.starts_with(&format!("{p}."))
                })
            })
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect();
        (!lines.is_empty()).then(|| lines.join("\n"))
    })
}

#[component]
fn PolicyForm(settings: ClusterSettingsView) -> impl IntoView {
    let text = PolicyText::new(&settings.policy);
    let started = settings.schedule.clone();
    let started_hostname = settings.internal_registry_hostname.clone();
    let version = RwSignal::new(settings.resource_version);
    let saved_by = RwSignal::new((settings.updated_by.clone(), settings.updated));
    let save = ServerAction::<SaveClusterSettings>::new();
    let error = RwSignal::new(None::<ConsoleError>);
    let toasts = Toasts::get();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            toasts.success("Cluster image policy saved; the next import follows it.".to_owned());
            error.set(None);
            text.show(&saved.policy);
            version.set(saved.resource_version);
            saved_by.set((saved.updated_by, saved.updated));
        }
        Some(Err(failure)) => error.set(Some(failure)),
        None => {}
    });
    // Every problem under one of `prefixes`, as "field: message" lines.
    let field_error = move |prefixes: &'static [&'static str]| errors_under(error, prefixes);
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        match text.policy() {
            Ok(policy) => {
                save.dispatch(SaveClusterSettings {
                    policy,
                    resource_version: version.get_untracked(),
                });
            }
            Err(fields) => error.set(Some(ConsoleError::Engine(engine::Error::Invalid(fields)))),
        }
    };
    let last_saved = move || {
        let (by, at) = saved_by.get();
        at.map(|at| view! { <p class="muted">"Last saved by " {by} " " <RelativeTime at/> "."</p> })
    };
    view! {
        <form class="settings-form" on:submit=on_submit novalidate aria-label="Cluster image policy">
            {move || error.get().filter(|e| e.field_errors().is_empty()).map(|error| view! { <ErrorAlert error/> })}
            <h2 class="section-title">"Imports"</h2>
            <TextField id="allowed-registries-for-import" label="Allowed registries for import" value=text.for_import multiline=true
                error=field_error(&["allowedRegistriesForImport"])
                placeholder="quay.io\n*.example.com\nregistry.local:5000 insecure"
                hint="allowedRegistriesForImport: one registry per line, host[:port] with * and ? wildcards; no port means 443. Add \" insecure\" to allow plain HTTP (port 80). Empty allows every registry."/>
            <h2 class="section-title">"Registry sources"</h2>
            <TextField id="blocked-registries" label="Blocked registries" value=text.blocked multiline=true
                error=field_error(&["registrySources.blockedRegistries", "registrySources"])
                placeholder="untrusted.example.com\nquay.io/unvetted"
                hint="registrySources.blockedRegistries: imports from these never run. One per line: host[:port][/path] or *.domain."/>
            <TextField id="allowed-registries" label="Allowed registries" value=text.allowed multiline=true
                error=field_error(&["registrySources.allowedRegistries"])
                hint="registrySources.allowedRegistries: when set, only these may be used. Set this or blocked registries, never both."/>
            <TextField id="insecure-registries" label="Insecure registries" value=text.insecure multiline=true
                error=field_error(&["registrySources.insecureRegistries"])
                placeholder="registry.local:5000"
                hint="registrySources.insecureRegistries: reached over plain HTTP or TLS without verification, even when a tag does not ask for it."/>
            <TextField id="search-registries" label="Search registries for short names" value=text.search multiline=true
                error=field_error(&["registrySources.containerRuntimeSearchRegistries"])
                placeholder="docker.io"
                hint="registrySources.containerRuntimeSearchRegistries: where a name without a registry (ruby:3.3) is looked up, in order. Empty means docker.io."/>
            <h2 class="section-title">"Trusted certificate authorities"</h2>
            <TextField id="additional-trusted-ca" label="Additional trusted CAs" value=text.cas multiline=true
                error=field_error(&["additionalTrustedCA"])
                placeholder="registry.local..5000\n-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----"
                hint="additionalTrustedCA: a registry line (host, or host..port for one port) followed by its PEM certificates; blocks apart by a blank line."/>
            <h2 class="section-title">"Integrated registry"</h2>
            <TextField id="internal-registry-hostname" label="Internal registry hostname" value=text.hostname
                error=field_error(&["internalRegistryHostname"])
                placeholder=started_hostname.clone()
                hint=format!("internalRegistryHostname: host[:port] of the integrated registry. Every stream's image repository and its Local pull specs point there; saving a new one moves them all at once. Empty: as started ({started_hostname}).")/>
            <h2 class="section-title">"Scheduled imports"</h2>
            <p class="muted">"Empty fields keep the value the server was started with (shown below); a change applies to the next check."</p>
            <TextField id="schedule-interval" label="Interval (seconds)" value=text.interval
                error=field_error(&["scheduledImport.intervalSeconds"])
                placeholder=started.interval_seconds.to_string()
                hint="How often a scheduled tag is checked; a tag may ask for its own interval, never below the minimum."/>
            <TextField id="schedule-minimum" label="Minimum interval (seconds)" value=text.minimum
                error=field_error(&["scheduledImport.minimumIntervalSeconds"])
                placeholder=started.minimum_interval_seconds.to_string()
                hint="scheduledImageImportMinimumIntervalSeconds: no tag is checked more often."/>
            <TextField id="schedule-rate" label="Scheduled imports per minute" value=text.rate
                error=field_error(&["scheduledImport.maxImportsPerMinute"])
                placeholder=started.max_imports_per_minute.to_string()
                hint="maxScheduledImageImportsPerMinute over the whole installation, bursts of twice as many; 0 or less: unlimited."/>
            <SelectField id="schedule-periodic" label="Periodic checks" value=text.periodic
                options=vec![("", "As started"), ("on", "On"), ("off", "Off (disableScheduledImport)")]/>
            <Button variant=Variant::Primary submit=true busy=save.pending()>"Save policy"</Button>
            {last_saved}
        </form>
    }
}

/// What the server was started with (flags or environment), and the
/// scheduled-import settings in force now.
#[component]
fn StartupSettings(
    hostname: String,
    schedule: ScheduleSettingsView,
    effective: ScheduleSettingsView,
) -> impl IntoView {
    let limit = |schedule: &ScheduleSettingsView| {
        if schedule.max_imports_per_minute <= 0 {
            "unlimited".to_owned()
        } else {
            format!(
                "{} per minute (bursts of {})",
                schedule.max_imports_per_minute,
                schedule.max_imports_per_minute * 2
            )
        }
    };
    let now = format!(
        "every {} s, no tag more often than every {} s; {}; periodic checks {}",
        effective.interval_seconds,
        effective.minimum_interval_seconds,
        limit(&effective),
        if effective.disabled { "off" } else { "on" }
    );
    let limit = limit(&schedule);
    view! {
        <section class="page-section" aria-labelledby="startup-settings-title">
            <h2 class="section-title" id="startup-settings-title">"Set when the server starts"</h2>
            <p class="page-lead">"These come from flags or environment variables (see --help) and change with a restart."</p>
            <dl class="describe">
                <dt>"Internal registry hostname"</dt><dd><code>{hostname}</code>" (--internal-registry-hostname)"</dd>
                <dt>"Scheduled import interval"</dt>
                <dd>{format!("{} s, no tag more often than every {} s", schedule.interval_seconds, schedule.minimum_interval_seconds)}</dd>
                <dt>"Scheduled imports"</dt><dd>{limit}</dd>
                <dt>"Periodic re-import"</dt><dd>{if schedule.disabled { "disabled (--disable-scheduled-import)" } else { "enabled" }}</dd>
                <dt>"Scheduled imports now"</dt><dd>{now}</dd>
            </dl>
        </section>
    }
}
