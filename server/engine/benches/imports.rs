//! Import speed against `skopeo inspect` on the same local registry
//! (Debian's `docker-registry` on 127.0.0.1): one tag, and a whole 50-tag
//! repository (`--all`) against 50 sequential `skopeo inspect` calls, and the registry's
//! own floor for those 50 tags (a bare client reading the same requests). Prints medians
//! and the ratios BENCHMARKS.md records.
//!
//! `cargo bench -p engine --features testing --bench imports`

use std::{
    process::Command,
    time::{Duration, Instant},
};

use futures::StreamExt;

use engine::{
    Services, Settings, imports,
    model::{
        ImageImportSpec, ImageStreamImport, ImageStreamImportSpec, LocalObjectReference,
        NewProject, ObjectMeta, ObjectReference, RepositoryImportSpec, TagImportPolicy,
    },
    projects,
    registry::{
        ClientOptions, RegistryClient, Repository,
        testing::{Layout, TestRegistry},
    },
    store::testing::{TestStore, fresh_store},
};

const TAGS: usize = 50;
const ROUNDS: usize = 15;

fn spec(from: String, tag: &str) -> ImageImportSpec {
    ImageImportSpec {
        from: ObjectReference {
            kind: "DockerImage".into(),
            name: from,
            ..ObjectReference::default()
        },
        to: Some(LocalObjectReference { name: tag.into() }),
        import_policy: TagImportPolicy {
            insecure: true,
            ..TagImportPolicy::default()
        },
        ..ImageImportSpec::default()
    }
}

fn request(images: Vec<ImageImportSpec>) -> ImageStreamImport {
    ImageStreamImport {
        metadata: ObjectMeta {
            name: "app".into(),
            ..ObjectMeta::default()
        },
        spec: ImageStreamImportSpec {
            import: true,
            images,
            repository: None,
        },
        ..ImageStreamImport::default()
    }
}

fn repository_request(host: &str) -> ImageStreamImport {
    ImageStreamImport {
        metadata: ObjectMeta {
            name: "all".into(),
            ..ObjectMeta::default()
        },
        spec: ImageStreamImportSpec {
            import: true,
            images: Vec::new(),
            repository: Some(RepositoryImportSpec {
                from: ObjectReference {
                    kind: "DockerImage".into(),
                    name: format!("{host}/bench/app"),
                    ..ObjectReference::default()
                },
                import_policy: TagImportPolicy {
                    insecure: true,
                    ..TagImportPolicy::default()
                },
                ..RepositoryImportSpec::default()
            }),
        },
        ..ImageStreamImport::default()
    }
}

async fn create_project(store: &TestStore) {
    projects::create(
        store,
        &engine::access::Caller::system("bench"),
        NewProject {
            name: "bench".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
}

fn skopeo_inspect(host: &str, tag: &str) {
    let status = Command::new("skopeo")
        .args(["inspect", "--tls-verify=false"])
        .arg(format!("docker://{host}/bench/app:{tag}"))
        .stdout(std::process::Stdio::null())
        .status()
        .expect("skopeo runs");
    assert!(status.success());
}

/// Reads one tag's manifest and configuration; returns the bytes read.
async fn read_image(client: &RegistryClient, repository: &Repository, tag: &str) -> usize {
    let manifest = client.manifest(repository, tag).await.unwrap();
    let parsed: serde_json::Value = serde_json::from_slice(&manifest.bytes).unwrap();
    let config = parsed["config"]["digest"].as_str().unwrap();
    manifest.bytes.len() + client.blob(repository, config).await.unwrap().len()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::main]
async fn main() {
    let registry = TestRegistry::start_plain();
    let mut layout = Layout::new();
    let tags: Vec<String> = (0..TAGS).map(|i| format!("1.{i}")).collect();
    for tag in &tags {
        let image = layout.image("linux", "amd64", &format!("TAG={tag}"));
        layout.tag(tag, image);
    }
    for tag in &tags {
        registry.push(&layout.path(), tag, "bench/app");
    }
    let store = fresh_store().await;
    create_project(&store).await;
    let services = Services::new(store.store.clone(), Settings::default());
    let host = registry.host.clone();

    // One tag.
    let mut ours = Vec::new();
    let mut skopeo = Vec::new();
    for round in 0..ROUNDS {
        let tag = &tags[round % TAGS];
        let started = Instant::now();
        let answer = imports::import(
            &services,
            "bench",
            request(vec![spec(format!("{host}/bench/app:{tag}"), tag)]),
        )
        .await
        .unwrap();
        assert!(answer.status.images[0].status.is_success());
        ours.push(started.elapsed());
        let started = Instant::now();
        skopeo_inspect(&host, tag);
        skopeo.push(started.elapsed());
    }
    let (one_ours, one_skopeo) = (median(ours), median(skopeo));

    // The whole 50-tag repository (`--all`) against 50 sequential skopeo
    // inspects. Cold: a new store each round, so every image is read from
    // the registry. Warm: the same store, so images seen before are not read
    // again (what a scheduled re-import does).
    let mut cold = Vec::new();
    let mut skopeo = Vec::new();
    for _ in 0..3 {
        let fresh = fresh_store().await;
        create_project(&fresh).await;
        let services = Services::new(fresh.store.clone(), Settings::default());
        let started = Instant::now();
        let answer = imports::import(&services, "bench", repository_request(&host))
            .await
            .unwrap();
        cold.push(started.elapsed());
        let status = answer.status.repository.unwrap();
        assert_eq!(status.images.len(), TAGS);
        assert!(status.images.iter().all(|i| i.status.is_success()));
        let started = Instant::now();
        for tag in &tags {
            skopeo_inspect(&host, tag);
        }
        skopeo.push(started.elapsed());
    }
    let mut warm = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        imports::import(&services, "bench", repository_request(&host))
            .await
            .unwrap();
        warm.push(started.elapsed());
    }
    let (many_cold, many_warm, many_skopeo) = (median(cold), median(warm), median(skopeo));

    // The registry's floor: the same two requests per tag (manifest, then
    // configuration) with a bare client, 8 at a time as the import reads
    // them, and nothing stored - no client of this registry reads the 50
    // tags faster.
    let mut floor = Vec::new();
    for _ in 0..3 {
        let client = RegistryClient::new(ClientOptions::default()).unwrap();
        let repository = Repository {
            registry: host.clone(),
            path: "bench/app".into(),
            insecure: true,
            credentials: None,
        };
        // The scheme is found once, as the import's client finds it.
        client.manifest(&repository, &tags[0]).await.unwrap();
        let started = Instant::now();
        let read: Vec<usize> = futures::stream::iter(&tags)
            .map(|tag| read_image(&client, &repository, tag))
            .buffered(8)
            .collect()
            .await;
        floor.push(started.elapsed());
        assert_eq!(read.len(), TAGS);
    }
    let floor = median(floor);

    println!("backend: {}", engine::store::testing::backend_under_test());
    println!(
        "one tag:   import {:>8.1} ms   skopeo inspect {:>8.1} ms   ratio {:.2}x skopeo's time",
        one_ours.as_secs_f64() * 1e3,
        one_skopeo.as_secs_f64() * 1e3,
        one_ours.as_secs_f64() / one_skopeo.as_secs_f64()
    );
    println!(
        "{TAGS}-tag registry floor (manifest + configuration, 8 at a time, nothing stored): {:>8.1} ms   {:.1}x faster than skopeo at best",
        floor.as_secs_f64() * 1e3,
        many_skopeo.as_secs_f64() / floor.as_secs_f64()
    );
    for (label, ours) in [("cold", many_cold), ("warm", many_warm)] {
        println!(
            "{TAGS}-tag repository ({label}): import {:>8.1} ms   skopeo inspect x{TAGS} {:>8.1} ms   {:.1}x faster",
            ours.as_secs_f64() * 1e3,
            many_skopeo.as_secs_f64() * 1e3,
            many_skopeo.as_secs_f64() / ours.as_secs_f64()
        );
    }
}
