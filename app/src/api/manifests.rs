//! `kubectl apply -f` from the console: YAML or JSON text applied to a
//! project, for image streams or for the objects that own triggers.

use leptos::{prelude::*, server_fn::codec::Json};
use serde::{Deserialize, Serialize};

use crate::errors::ConsoleError;

/// Which objects a text holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum YamlObjects {
    /// ImageStreams.
    ImageStreams,
    /// BuildConfigs, DeploymentConfigs and workloads with image triggers.
    TriggerOwners,
}

/// Creates or updates every object in `text`, all or none; answers one line
/// per object as kubectl does (`imagestream.image.openshift.io/ruby created`).
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "apply_yaml", input = Json)]
pub async fn apply_yaml(
    namespace: String,
    objects: YamlObjects,
    text: String,
) -> Result<Vec<String>, ConsoleError> {
    use engine::model::access::{Resource, Verb};
    let resource = match objects {
        YamlObjects::ImageStreams => Resource::ImageStreams,
        YamlObjects::TriggerOwners => Resource::TriggerOwners,
    };
    // Applying creates what is missing and updates the rest.
    let (services, caller) = super::caller().await?;
    for verb in [Verb::Create, Verb::Update] {
        super::respond(caller.require(verb, resource, &namespace))?;
    }
    match objects {
        YamlObjects::ImageStreams => {
            // Tags from another project's streams need pulling rights there
            // (a text that does not decode is reported by the apply).
            if let Ok(decoded) = engine::manifests::decode_image_streams(&text) {
                for item in &decoded {
                    super::respond(engine::imagestreams::require_references_access(
                        &caller,
                        &namespace,
                        &item.stream.spec.tags,
                    ))?;
                }
            }
            let applied =
                super::respond(engine::manifests::apply(&services, &namespace, &text).await)?;
            super::name_for_audit(&applied.iter().map(|a| a.name.as_str()).collect::<Vec<_>>());
            Ok(applied.iter().map(ToString::to_string).collect())
        }
        YamlObjects::TriggerOwners => {
            let applied =
                super::respond(engine::triggers::apply(&services, &namespace, &text).await)?;
            super::name_for_audit(&applied.iter().map(|a| a.name.as_str()).collect::<Vec<_>>());
            Ok(applied.iter().map(ToString::to_string).collect())
        }
    }
}
