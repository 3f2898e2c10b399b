use super::*;
use crate::model::ImageStream;

/// A stream in `namespace` whose tags carry `(name, tags annotation, extra annotations)`.
fn stream(namespace: &str, name: &str, tags: &[(&str, &str)]) -> ImageStream {
    let tags: Vec<serde_json::Value> = tags
        .iter()
        .map(|(tag, words)| {
            serde_json::json!({
                "name": tag,
                "annotations": {
                    "tags": words,
                    "description": format!("Build {name} {tag} applications"),
                    "iconClass": format!("icon-{name}"),
                    "sampleRepo": format!("https://example.com/{name}-ex.git"),
                    "supports": format!("{name}:{tag},{name}"),
                    "version": tag,
                    "openshift.io/display-name": format!("{name} {tag}"),
                },
                "from": {"kind": "DockerImage", "name": format!("quay.io/example/{name}:{tag}")},
            })
        })
        .collect();
    serde_json::from_value(serde_json::json!({
        "metadata": {
            "name": name,
            "namespace": namespace,
            "annotations": {
                "openshift.io/display-name": name.to_uppercase(),
                "openshift.io/provider-display-name": "Example, Inc.",
            },
        },
        "spec": {"tags": tags},
    }))
    .expect("a valid stream")
}

#[test]
fn the_newest_builder_tag_describes_the_card() {
    let item = CatalogItem::of(&stream(
        "openshift",
        "ruby",
        &[
            ("latest", "builder,ruby"),
            ("3.1", "builder,ruby"),
            ("3.3", "builder,ruby"),
            ("2.0", "builder,ruby,hidden"),
            ("tools", "ruby"),
        ],
    ))
    .expect("a builder");
    assert_eq!(item.display_name, "RUBY");
    assert_eq!(item.provider, "Example, Inc.");
    assert_eq!(item.description, "Build ruby 3.3 applications");
    assert_eq!(item.icon, "/icons/ruby.svg");
    assert_eq!(item.sample_repo, "https://example.com/ruby-ex.git");
    assert_eq!(item.categories, [Category::Languages]);
    assert_eq!(item.keywords, ["ruby"]);
    assert_eq!(item.supports, ["ruby:3.3", "ruby"]);
    let versions: Vec<&str> = item.versions.iter().map(|v| v.tag.as_str()).collect();
    assert_eq!(
        versions,
        ["3.3", "3.1", "latest"],
        "hidden and non-builder tags are left out"
    );
    assert_eq!(item.versions[0].display_name, "ruby 3.3");
    assert_eq!(item.versions[0].pull_spec, None, "never imported");
    assert_eq!(
        item.versions[0].import_from.as_deref(),
        Some("quay.io/example/ruby:3.3")
    );
}

#[test]
fn streams_without_a_visible_builder_tag_are_not_cards() {
    assert_eq!(
        CatalogItem::of(&stream("p", "tools", &[("1", "ruby")])),
        None
    );
    assert_eq!(
        CatalogItem::of(&stream("p", "old", &[("1", "builder,hidden")])),
        None
    );
}

#[test]
fn a_missing_display_name_falls_back_to_the_stream_name() {
    let mut plain = stream("p", "cobol", &[("1", "builder")]);
    plain.metadata.annotations.clear();
    let item = CatalogItem::of(&plain).expect("a builder");
    assert_eq!(item.display_name, "cobol");
    assert_eq!(item.icon, GENERIC_ICON);
    assert_eq!(item.categories, [Category::Other]);
}

fn catalog() -> Vec<CatalogItem> {
    [
        ("openshift", "ruby", "builder,ruby"),
        ("openshift", "python", "builder,python"),
        ("openshift", "postgresql", "builder,database,postgresql"),
        ("team", "jenkins", "builder,jenkins"),
        ("team", "php", "builder,php,httpd"),
    ]
    .iter()
    .map(|(namespace, name, words)| {
        CatalogItem::of(&stream(namespace, name, &[("1.0", words)])).expect("a builder")
    })
    .collect()
}

fn names(page: &CatalogPage) -> Vec<&str> {
    page.items.iter().map(|item| item.stream.as_str()).collect()
}

#[test]
fn keyword_category_and_sort_select_cards() {
    let everything = CatalogQuery::default().select(&catalog());
    assert_eq!(
        names(&everything),
        ["jenkins", "php", "postgresql", "python", "ruby"]
    );
    assert_eq!(everything.all, 5);
    assert_eq!(
        everything.counts,
        [
            (Category::Languages, 3),
            (Category::Databases, 1),
            (Category::Middleware, 1),
            (Category::CiCd, 1),
            (Category::Other, 0),
        ]
    );

    let languages = CatalogQuery::from_params(None, Some("languages"), Some("name-desc"), None)
        .select(&catalog());
    assert_eq!(names(&languages), ["ruby", "python", "php"]);
    assert_eq!((languages.total, languages.all), (3, 5));

    let searched =
        CatalogQuery::from_params(Some("  Build PHP "), None, None, None).select(&catalog());
    assert_eq!(names(&searched), ["php"]);
    assert_eq!(searched.counts[0], (Category::Languages, 1));
    let by_keyword =
        CatalogQuery::from_params(Some("database"), None, None, None).select(&catalog());
    assert_eq!(names(&by_keyword), ["postgresql"]);

    let none = CatalogQuery::from_params(Some("fortran"), None, None, None).select(&catalog());
    assert_eq!((none.total, none.pages, none.page), (0, 1, 0));
}

#[test]
fn pages_hold_a_fixed_number_of_cards_and_stay_in_range() {
    let many: Vec<CatalogItem> = (0..PAGE_SIZE + 5)
        .map(|n| {
            CatalogItem::of(&stream("p", &format!("s{n:03}"), &[("1", "builder")]))
                .expect("a builder")
        })
        .collect();
    let second = CatalogQuery::from_params(None, None, None, Some("2")).select(&many);
    assert_eq!((second.page, second.pages, second.items.len()), (1, 2, 5));
    let beyond = CatalogQuery::from_params(None, None, None, Some("9")).select(&many);
    assert_eq!(beyond.page, 1);
    let nonsense = CatalogQuery::from_params(None, Some("x"), Some("y"), Some("0"));
    assert_eq!(nonsense, CatalogQuery::default());
}

#[test]
fn a_query_survives_its_url() {
    let query = CatalogQuery {
        keyword: "ruby 3".into(),
        category: Some(Category::CiCd),
        sort: CatalogSort::RecentlyUpdated,
        page: 2,
    };
    let params = query.to_params();
    let get = |key: &str| {
        params
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, value)| value.as_str())
    };
    assert_eq!(
        CatalogQuery::from_params(get("q"), get("category"), get("sort"), get("page")),
        query
    );
    assert!(CatalogQuery::default().to_params().is_empty());
}
