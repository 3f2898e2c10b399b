//! The sample image streams the product ships (`server/engine/samples/`),
//! read once, and each one as it is installed under a configuration: its
//! sources moved to the mirror, marked as managed.

use std::sync::LazyLock;

use crate::{
    manifests::decode_image_streams,
    model::{
        ImageStream, SHARED_PROJECT, SourceKind,
        samples::{MANAGED_LABEL, SAMPLE_VERSION_ANNOTATION, SamplesConfig},
    },
};

/// The shipped definitions, one YAML file per stream.
const DEFINITIONS: &[(&str, &str)] = &[
    ("ruby", include_str!("../../samples/ruby.yaml")),
    ("python", include_str!("../../samples/python.yaml")),
    ("nodejs", include_str!("../../samples/nodejs.yaml")),
    ("golang", include_str!("../../samples/golang.yaml")),
    ("php", include_str!("../../samples/php.yaml")),
    ("perl", include_str!("../../samples/perl.yaml")),
    ("httpd", include_str!("../../samples/httpd.yaml")),
    ("nginx", include_str!("../../samples/nginx.yaml")),
    ("java", include_str!("../../samples/java.yaml")),
    ("dotnet", include_str!("../../samples/dotnet.yaml")),
    ("postgresql", include_str!("../../samples/postgresql.yaml")),
    ("mysql", include_str!("../../samples/mysql.yaml")),
    ("mariadb", include_str!("../../samples/mariadb.yaml")),
    ("redis", include_str!("../../samples/redis.yaml")),
];

static INVENTORY: LazyLock<Vec<ImageStream>> = LazyLock::new(|| {
    DEFINITIONS
        .iter()
        .map(|(file, text)| {
            let mut decoded = decode_image_streams(text)
                .unwrap_or_else(|errors| panic!("sample {file}.yaml does not decode: {errors:?}"));
            assert_eq!(decoded.len(), 1, "sample {file}.yaml holds one stream");
            let stream = decoded.remove(0).stream;
            assert_eq!(
                stream.metadata.name, *file,
                "sample {file}.yaml names itself"
            );
            stream
        })
        .collect()
});

/// Every shipped sample, as written.
pub fn inventory() -> &'static [ImageStream] {
    &INVENTORY
}

/// The names of the shipped samples.
pub fn names() -> Vec<&'static str> {
    DEFINITIONS.iter().map(|(name, _)| *name).collect()
}

/// `sample` as it is installed under `config`: in the shared project, read
/// from the mirror when one is set, marked with the product version.
pub fn desired(sample: &ImageStream, config: &SamplesConfig) -> ImageStream {
    let mut stream = sample.clone();
    stream.metadata.namespace = SHARED_PROJECT.to_owned();
    stream.metadata.annotations.insert(
        SAMPLE_VERSION_ANNOTATION.to_owned(),
        env!("CARGO_PKG_VERSION").to_owned(),
    );
    stream
        .metadata
        .labels
        .insert(MANAGED_LABEL.to_owned(), "true".to_owned());
    let mirror = config.samples_registry.trim();
    if !mirror.is_empty() {
        for from in stream
            .spec
            .tags
            .iter_mut()
            .filter_map(|tag| tag.from.as_mut())
        {
            if from.kind == SourceKind::DOCKER_IMAGE {
                from.name = moved_to(&from.name, mirror);
            }
        }
    }
    stream
}

/// `pull_spec` read from `mirror` instead of its own registry (the
/// definitions always name their registry).
fn moved_to(pull_spec: &str, mirror: &str) -> String {
    match pull_spec.split_once('/') {
        Some((_, path)) => format!("{mirror}/{path}"),
        None => format!("{mirror}/{pull_spec}"),
    }
}

/// Whether `stream` is one the samples manage (not a user's own stream that
/// happens to share a sample's name).
pub fn is_managed(stream: &ImageStream) -> bool {
    stream
        .metadata
        .labels
        .get(MANAGED_LABEL)
        .is_some_and(|value| value == "true")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{catalog::CatalogItem, validate_stream::validate_stream_name};

    #[test]
    fn every_definition_decodes_and_names_registry_images() {
        assert_eq!(inventory().len(), DEFINITIONS.len());
        for stream in inventory() {
            let name = &stream.metadata.name;
            assert!(validate_stream_name("metadata.name", name).is_ok());
            let (versions, latest) = stream.spec.tags.split_at(stream.spec.tags.len() - 1);
            assert!(!versions.is_empty(), "{name}");
            for tag in versions {
                let from = tag.from.as_ref().expect("every sample tag has a source");
                assert_eq!(from.kind, SourceKind::DOCKER_IMAGE);
                assert!(
                    from.name.split('/').next().unwrap().contains('.'),
                    "{} names its registry",
                    from.name
                );
            }
            // The last tag is `latest`, following the newest version (the first).
            let from = latest[0].from.as_ref().unwrap();
            assert_eq!(latest[0].name, "latest", "{name}");
            assert_eq!(from.kind, SourceKind::IMAGE_STREAM_TAG, "{name}");
            assert_eq!(from.name, versions[0].name, "{name}");
            assert!(crate::model::tag_history::tracked_tag(stream, &latest[0]).is_some());
        }
    }

    #[test]
    fn the_language_samples_are_builder_cards_and_the_databases_are_not() {
        let cards: Vec<String> = inventory()
            .iter()
            .filter_map(CatalogItem::of)
            .map(|item| item.stream)
            .collect();
        for builder in ["ruby", "python", "nodejs", "golang", "java", "dotnet"] {
            assert!(cards.iter().any(|card| card == builder), "{builder}");
        }
        assert!(!cards.iter().any(|card| card == "postgresql"));
        let ruby = inventory()
            .iter()
            .find_map(|s| CatalogItem::of(s).filter(|item| item.stream == "ruby"))
            .unwrap();
        assert_eq!(ruby.icon, "/icons/ruby.svg");
        assert_eq!(ruby.versions[0].tag, "3.3");
    }

    #[test]
    fn a_mirror_replaces_the_registry_and_keeps_the_path() {
        let ruby = inventory()
            .iter()
            .find(|s| s.metadata.name == "ruby")
            .unwrap();
        let config = SamplesConfig {
            samples_registry: "mirror.example.com:5000".into(),
            ..SamplesConfig::default()
        };
        let installed = desired(ruby, &config);
        assert_eq!(
            installed.spec.tags[0].from.as_ref().unwrap().name,
            "mirror.example.com:5000/library/ruby:3.3"
        );
        assert!(is_managed(&installed));
        assert_eq!(installed.metadata.namespace, SHARED_PROJECT);
        let public = desired(ruby, &SamplesConfig::default());
        assert_eq!(
            public.spec.tags[0].from.as_ref().unwrap().name,
            "docker.io/library/ruby:3.3"
        );
    }
}
