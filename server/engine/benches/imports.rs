//! Import speed against `skopeo inspect` on the same local registry
//! (Debian's `docker-registry` on 127.0.0.1): one tag, and a request of 50
//! tags against 50 sequential `skopeo inspect` calls. Prints medians and
//! the ratios BENCHMARKS.md records.
//!
//! `cargo bench -p engine --features testing --bench imports`

use std::{
    process::Command,
    time::{Duration, Instant},
};

use engine::{
    Services, Settings, imports,
    model::{
        ImageImportSpec, ImageStreamImport, ImageStreamImportSpec, LocalObjectReference,
        NewProject, ObjectMeta, ObjectReference, TagImportPolicy,
    },
    projects,
    registry::testing::{Layout, TestRegistry},
    store::testing::fresh_store,
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

fn skopeo_inspect(host: &str, tag: &str) {
    let status = Command::new("skopeo")
        .args(["inspect", "--tls-verify=false"])
        .arg(format!("docker://{host}/bench/app:{tag}"))
        .stdout(std::process::Stdio::null())
        .status()
        .expect("skopeo runs");
    assert!(status.success());
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
    projects::create(
        &store,
        NewProject {
            name: "bench".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
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

    // 50 tags in one request against 50 sequential skopeo inspects.
    let mut ours = Vec::new();
    let mut skopeo = Vec::new();
    for _ in 0..3 {
        let images = tags
            .iter()
            .map(|tag| spec(format!("{host}/bench/app:{tag}"), tag))
            .collect();
        let started = Instant::now();
        let answer = imports::import(&services, "bench", request(images))
            .await
            .unwrap();
        assert!(answer.status.images.iter().all(|i| i.status.is_success()));
        ours.push(started.elapsed());
        let started = Instant::now();
        for tag in &tags {
            skopeo_inspect(&host, tag);
        }
        skopeo.push(started.elapsed());
    }
    let (many_ours, many_skopeo) = (median(ours), median(skopeo));
    let mut dry = Vec::new();
    for _ in 0..3 {
        let images = tags
            .iter()
            .map(|tag| spec(format!("{host}/bench/app:{tag}"), tag))
            .collect();
        let mut lookup = request(images);
        lookup.spec.import = false;
        let started = Instant::now();
        imports::import(&services, "bench", lookup).await.unwrap();
        dry.push(started.elapsed());
    }
    let many_dry = median(dry);

    println!("backend: {}", engine::store::testing::backend_under_test());
    println!(
        "one tag:   import {:>8.1} ms   skopeo inspect {:>8.1} ms   ratio {:.2}x skopeo's time",
        one_ours.as_secs_f64() * 1e3,
        one_skopeo.as_secs_f64() * 1e3,
        one_ours.as_secs_f64() / one_skopeo.as_secs_f64()
    );
    println!(
        "{TAGS} tags:   import {:>8.1} ms   skopeo inspect x{TAGS} {:>8.1} ms   {:.1}x faster",
        many_ours.as_secs_f64() * 1e3,
        many_skopeo.as_secs_f64() * 1e3,
        many_skopeo.as_secs_f64() / many_ours.as_secs_f64()
    );
    println!(
        "{TAGS} tags, dry run (registry only, nothing written): {:>8.1} ms",
        many_dry.as_secs_f64() * 1e3
    );
}
